/**
 * `npm run a2a -- <command>`: send, stream, get, list, cancel and watch tasks on the gateway with
 * the official @a2a-js/sdk client, without hand-written JSON-RPC. `npm run a2a -- --help` lists the
 * commands. Exit status: 0 done, 1 an A2A or network error (one line on stderr), 2 a usage error.
 */
import { runCommand } from './a2a/commands';
import { bearerToken, connect } from './a2a/connection';
import { describeError } from './a2a/errors';
import { parseInvocation } from './a2a/invocation';
import { Output } from './a2a/render';

const inv = parseInvocation(process.argv.slice(2));
const out = new Output(inv.json);
try {
  const conn = await connect(inv.url, inv.agentId, await bearerToken(inv.token, inv.tenant));
  await runCommand(inv.command, { conn, out, agentId: inv.agentId });
  out.done();
} catch (err) {
  out.done();
  process.stderr.write(`npm run a2a: ${describeError(err, inv)}\n`);
  if (process.env.A2A_DEBUG) console.error(err);
  process.exitCode = 1;
}
