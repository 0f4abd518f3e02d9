/**
 * The V8 flags `npm start` runs the local stack with (package.json's start script passes them to
 * tsx; test/unit/stack-node-flags.test.ts keeps the two in step), and the benchmark's stack
 * children too, so the figures are those of the stack as a user runs it.
 *
 * --max-semi-space-size=8 (MB; Node 20 chose 16 on this machine): the young generation, where a burst of
 * requests leaves its garbage, is two semi-spaces that stay mapped. Bench, 2026-12-07 (section 5,
 * two runs each; section 7, one run each):
 *   16 MB: peak RSS 201-202 MB at 10,000 echo tasks, 356-360 MB at 50,000; stack/memory ÷
 *          reference 0.92× non-blocking, 1.05× blocking
 *    8 MB: 180-188 MB and 336-337 MB; 0.87× and 0.96×
 *    4 MB: 170-175 MB and 321-326 MB; 0.80× and 0.91×
 * Smaller semi-spaces mean more scavenges, which cost throughput; 8 MB keeps the 10,000-task peak
 * under 200 MB for a few percent. No cap on the old generation: --max-old-space-size=160-256
 * flattened the 50,000-task peak to 173-183 MB but cost about a tenth of the throughput, and a
 * burst of large artifacts would end the process and every task it holds (README decision 79).
 */
export const STACK_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=8'];
