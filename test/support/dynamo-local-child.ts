/**
 * Run as its own process (node --import tsx): starts DynamoDB Local on the data folder given as
 * the first argument, prints `{"pid","javaPid","port"}` as one line, and waits to be killed.
 */
import { startDynamoLocalProcess } from '../../adapters/dynamo/dynamo-local-process';

const dbPath = process.argv[2];
if (!dbPath) throw new Error('usage: dynamo-local-child.ts <dbPath>');
const local = await startDynamoLocalProcess({ dbPath });
process.stdout.write(`${JSON.stringify({ pid: process.pid, javaPid: local.pid, port: local.port })}\n`);
setInterval(() => undefined, 1 << 30);
