// Durability: committed change sets in, bytes on disk out — redo log frames (RedoLog), page-format
// snapshots (SnapshotWriter/Reader), the MANIFEST that names the live ones — and, on open, the
// verified stream back (readLogFrom, SnapshotReader). It must never acknowledge what is not
// fsynced, never retry a failed fsync, never guess past damage (SQLITE_CORRUPT naming file and
// offset), and never touch the disk except through the FileSystem interface (fs/file-system.ts).
export type { ChangeRecord, ChangeKind, ChangeSink } from './change-record';
export type { FileHandle, FileLock, FileSystem, OpenMode } from './fs/file-system';
export { FsError, fsErrorCode, joinPath, writeFileAtomic } from './fs/file-system';
export { NodeFileSystem } from './fs/node-fs';
export { MemoryFileSystem } from './fs/memory-fs';
export { FaultyFileSystem, PowerLossError } from './fs/faulty-fs';
export { crc32c } from './crc32c';
export { readChangeSet, readValue, writeChangeSet, writeValue } from './codec';
export { ByteReader, ByteWriter, DecodeError } from './bytes';
export * from './layout';
export { LogWriter } from './log-writer';
export { LogScan, readLogFrom } from './log-reader';
export type { LogEnd, LogScanOptions, LogTransaction } from './log-reader';
export { RedoLog } from './redo-log';
export type { LogRecoveryReport, RecoveryMode, RedoLogOptions } from './redo-log';
export { SnapshotWriter } from './snapshot-writer';
export type { SnapshotInfo, SnapshotWriterOptions } from './snapshot-writer';
export { SnapshotReader, readSnapshot } from './snapshot-reader';
export type { SnapshotReadMode, SnapshotReport, SkippedPage } from './snapshot-reader';
export type { SnapshotRow, SnapshotSchema, SnapshotTableMeta } from './snapshot-format';
export { DEFAULT_PAGE_SIZE } from './snapshot-format';
export { readManifest, writeManifest, encodeManifest, decodeManifest } from './manifest';
export type { Manifest } from './manifest';
export { CheckpointPolicy } from './checkpoint-policy';
export type { CheckpointDecision, CheckpointPolicyOptions, CheckpointState } from './checkpoint-policy';
