/*
 * mapguard.h: reading a memory-mapped file that may shrink while it is read.
 *
 * A page of a mapping that lies past the end of its file (the file was truncated after it was
 * mapped) raises SIGBUS on the first read, which kills the process. bilat maps plain event files
 * because that is the fastest way to scan them (docs/EVENTS.md, "Speed"); reading them with
 * read() instead would be safe but slower on the hot path, and a file being rewritten (a
 * re-download, `truncate`) must not take the process down. So every read of a mapping runs
 * inside mapguard_run(): the first call installs a SIGBUS handler that, on a thread inside a
 * guarded region, jumps back out of the region (siglongjmp); on any other thread it restores
 * the earlier action and returns, so the fault happens again with that action as if bilat had
 * never caught it.
 *
 * What a guarded region may do: read the mapping, compute, and write memory it owns. It must not
 * hold a lock or be inside the allocator at a point where it reads the mapping, since the jump
 * abandons its frame: the callers read the mapping into their own state and take locks only
 * around code that does not touch it. After a fault the region's partial work is the caller's to
 * discard (the file is reported as changed while read, never recorded as done).
 *
 * Thread-safe; regions nest (the innermost catches the fault).
 */
#ifndef BILAT_CORE_MAPGUARD_H
#define BILAT_CORE_MAPGUARD_H

/*
 * Run fn(ctx) with SIGBUS caught. Returns 0 when fn returned, or BILAT_EIO when a mapped page
 * could not be read (the file shrank while mapped): fn did not finish.
 */
int mapguard_run(void (*fn)(void *ctx), void *ctx);

#endif
