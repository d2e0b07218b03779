/* A macro whose operator is in a header. */
#define SCALE(x) ((x) * 4)
