/* Sizes from a header, one of them redefined by the file that includes it. */
#define BATCH 16
#define HIDDEN (2 * BATCH)
