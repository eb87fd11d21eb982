// Every workload, in the order the table lists them. A file exports one workload or a list.
import type { Workload } from '../lib/types';
import selectGet from './10-select-get';
import selectAll from './11-select-all';
import selectIterate from './12-select-iterate';
import insert from './13-insert';
import transaction from './14-transaction';
import selectGetLargeBlob from './15-select-get-large-blob';
import insertLargeText from './16-insert-large-text';
import groupBy from './20-group-by';
import joinIndexed from './21-join-indexed';
import join3way from './22-join-3way';
import orderByLimit from './23-order-by-limit';
import memory from './40-memory';
import durableCommit from './30-durable-commit';
import commitAsync from './31-commit-async';
import recovery from './32-recovery';
import checkpointStall from './33-checkpoint-stall';

export const WORKLOADS: readonly Workload[] = [
  selectGet,
  selectAll,
  selectIterate,
  insert,
  transaction,
  selectGetLargeBlob,
  insertLargeText,
  groupBy,
  joinIndexed,
  join3way,
  orderByLimit,
  memory,
  ...durableCommit,
  ...commitAsync,
  ...recovery,
  checkpointStall,
];
