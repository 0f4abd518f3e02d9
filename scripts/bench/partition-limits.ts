/**
 * The write ceiling of one index partition key, and what the store's write sharding
 * (adapters/dynamo/keys.ts, SHARDS) makes of it: the arithmetic of issue 17's target 7, from the
 * shard counts in the code and the read cost of a ListTasks page measured in the same run.
 */
import { SHARDS } from '../../adapters/dynamo/keys';
import { type BenchRow, round } from './bench-types';
import { PRICES } from './cost-model';
import type { MeterReading } from './dynamo-metering';

/** DynamoDB's write throughput per partition (a GSI's partitions too), in WRU/s. */
export const PARTITION_WRU_PER_SECOND = 1000;

/**
 * WRU a task lifecycle writes to each index key at most (index items of 1 KB or less): GSI1 and
 * GSI2 a put when the task leaves SUBMITTED and a delete and a put at its next status change (the
 * sort key is the status timestamp; a run whose WORKING shares the commit that ends it writes 1);
 * GSI3 and GSI5 a put when the task enters and a delete when it leaves (README decision 84).
 */
export const INDEX_WRU_PER_TASK = { gsi1: 3, gsi2: 3, gsi3: 2, gsi5: 2 } as const;

export const tasksPerSecond = (shards: number, wruPerTask: number): number =>
  (shards * PARTITION_WRU_PER_SECOND) / wruPerTask;

/** The BENCHMARKS.md note of section 2, with the ListTasks page measured before it. */
export function partitionNote(list: MeterReading, pageSize: number): string {
  const w = INDEX_WRU_PER_TASK;
  const one = (wru: number) => round(tasksPerSecond(1, wru), 0);
  const agent = round(tasksPerSecond(SHARDS.agentList, w.gsi1), 0);
  const tenant = round(tasksPerSecond(SHARDS.queued, w.gsi5), 0);
  const system = round(tasksPerSecond(SHARDS.reconcile, w.gsi3), 0);
  return [
    `One busy (tenant, agent) in AWS: a partition takes about ${PARTITION_WRU_PER_SECOND.toLocaleString('en-US')} WRU/s, and an index key whose sort key always grows (a status timestamp, a due time) stays on one partition. Each task writes up to ${w.gsi1} WRU to its GSI1 key \`T#{tenant}#AGENT#{agentId}\` (1 when it leaves SUBMITTED, a delete and a put at its next status change; an echo task, whose WORKING and COMPLETED share a commit, 1), ${w.gsi5} to its GSI5 key (the tenant's queued tasks) and ${w.gsi3} to its GSI3 key; so one key caps one (tenant, agent) near ${one(w.gsi1)} tasks/s and one tenant near ${one(w.gsi5)} tasks/s.`,
    `The keys are write-sharded by a hash of the task id (adapters/dynamo/keys.ts): GSI1 over ${SHARDS.agentList} keys, ${SHARDS.agentList} × ${PARTITION_WRU_PER_SECOND} / ${w.gsi1} = ${agent.toLocaleString('en-US')} tasks/s per (tenant, agent); GSI5 over ${SHARDS.queued}, ${SHARDS.queued} × ${PARTITION_WRU_PER_SECOND} / ${w.gsi5} = ${tenant.toLocaleString('en-US')} tasks/s per tenant; GSI3 (system-wide) over ${SHARDS.reconcile}, ${system.toLocaleString('en-US')} tasks/s for the whole deployment. At 1,000 tasks/s a GSI1 shard takes 1,000 / ${SHARDS.agentList} × ${w.gsi1} ≈ ${round((1000 / SHARDS.agentList) * w.gsi1, 0)} WRU/s, well under its ceiling (the hash spreads ids evenly: ±${round(100 / Math.sqrt(1000 / SHARDS.agentList), 0)} % a second). GSI2 stays one key per context (one conversation, a few tasks a second).`,
    `The reads pay for it: ListTasks queries every GSI1 shard and the tenant's ${SHARDS.queued} GSI5 shards (its queued tasks, which are not in GSI1 yet) and merges them by sort key (the page token, a sort key, resumes them all), and totalSize counts each of them. A page of ${pageSize} here: ${list.requests} requests, ${round(list.rru, 1)} RRU (${Object.entries(
      list.byCommand,
    )
      .map(([name, c]) => `${name.replace('Command', '')} ${c.requests}× / ${round(c.units, 1)} RRU`)
      .join(
        ', ',
      )}); unsharded it was 3 requests and 11.5 RRU (one page Query, one COUNT Query, one BatchGetItem), so about ${(SHARDS.agentList + SHARDS.queued) * 2 - 2} more Queries at 0.5 RRU or more each: ~$${round(((SHARDS.agentList + SHARDS.queued) * 2 - 2) * 0.5 * PRICES.rruPerMillion, 2)} more per million pages. The queued-work cap (TENANT_MAX_QUEUED_TASKS, on by default) counts ${SHARDS.queued} GSI5 keys per SendMessage instead of one: ${SHARDS.queued - 1} more Queries (at least ${(SHARDS.queued - 1) * 0.5} RRU more in AWS; DynamoDB Local reports an empty count as 0).`,
  ].join(' ');
}

/** Target 7 as a row: the write ceiling of one (tenant, agent)'s index keys, from the shard counts. */
export function partitionRow(section: string): BenchRow {
  const w = INDEX_WRU_PER_TASK;
  const agent = tasksPerSecond(SHARDS.agentList, w.gsi1);
  const tenant = tasksPerSecond(SHARDS.queued, w.gsi5);
  return {
    section,
    metric: 'one (tenant, agent): index write ceiling in AWS',
    value: round(Math.min(agent, tenant), 0),
    unit: 'tasks/s',
    target: { kind: 'min', value: 1000, label: '≥ 1,000 tasks/s' },
    note: `arithmetic, not a load test: GSI1 ${SHARDS.agentList} shards × ${PARTITION_WRU_PER_SECOND} WRU/s ÷ ${w.gsi1} WRU/task = ${round(agent, 0)}/s; GSI5 ${SHARDS.queued} × ${PARTITION_WRU_PER_SECOND} ÷ ${w.gsi5} = ${round(tenant, 0)}/s per tenant; unsharded ${round(tasksPerSecond(1, w.gsi1), 0)}/s`,
  };
}
