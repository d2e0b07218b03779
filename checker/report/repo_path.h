/*
 * repo_path.h - file names as a repository sees them: absolute, relative
 * to the repository's top folder, and as URIs.
 *
 * SARIF wants a finding's file relative to the checkout ("src/train.c"),
 * so that GitHub can place it whatever folder the checker ran in; the
 * baseline records files that way too, so that it reads the same on every
 * machine.  Every result is allocated in the arena passed in.
 */
#ifndef SHAPECHECK_REPO_PATH_H
#define SHAPECHECK_REPO_PATH_H

#include "arena.h"

/* The folder that holds PATH (an absolute path): "/a/b" gives "/a";
   "/a" and "/" give "/". */
char *repo_path_parent(arena *a, const char *path);

/* The checkout FOLDER is in: FOLDER (made absolute) or the nearest folder
   above it that holds a ".git" folder or file (a worktree or submodule has
   a file), as "git rev-parse --show-toplevel" finds it without running
   git.  NULL when there is none up to the root. */
char *repo_path_top_level(arena *a, const char *folder);

/* PATH made absolute against the current folder, with symbolic links
   resolved when it exists; otherwise normalised by its spelling alone
   ("." and ".." segments and repeated slashes removed). */
char *repo_path_absolute(arena *a, const char *path);

/* PATH relative to the folder ROOT, with '/' between segments
   ("src/train.c"); NULL when PATH is not inside ROOT. */
char *repo_path_relative(arena *a, const char *path, const char *root);

/* PATH percent-encoded for use in a URI: every byte but the unreserved
   characters (letters, digits, "-._~") and '/' becomes %XX, so that
   spaces, '#', '%', ':' and non-ASCII names survive. */
char *repo_path_uri_encode(arena *a, const char *path);

/* "file:///abs/path" for PATH (made absolute, then encoded); a folder gets
   a final '/' when FOLDER is nonzero, as SARIF's base URIs require. */
char *repo_path_file_uri(arena *a, const char *path, int folder);

#endif /* SHAPECHECK_REPO_PATH_H */
