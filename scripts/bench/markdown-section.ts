/**
 * One `## Heading` section of a Markdown file, read or replaced in place: `npm run bench` owns
 * BENCHMARKS.md but keeps the Resilience section, which `npm run resilience -- --write` fills.
 */
export function readSection(md: string, heading: string): string | undefined {
  const start = md.indexOf(`\n## ${heading}\n`);
  if (start === -1) return undefined;
  const end = md.indexOf('\n## ', start + 1);
  return md.slice(start + 1, end === -1 ? undefined : end).trimEnd();
}

/** The file with the section replaced (or appended when it is not there). */
export function replaceSection(md: string, heading: string, section: string): string {
  const old = readSection(md, heading);
  if (old === undefined) return `${md.trimEnd()}\n\n${section.trimEnd()}\n`;
  return md.replace(old, section.trimEnd());
}
