/*
 * shapecheck.h - shape annotations for C machine-learning code.
 *
 * SHAPE(d0, d1, ...)         on a variable, parameter or field: the logical
 *                            row-major shape of what it holds or points to.
 * RETURNS_SHAPE(d0, ...)     on a function: the shape of what it returns.
 * SHAPE_LOSS(logits, labels) on a function: those two parameters must have
 *                            the same first (batch) dimension.
 *
 * The shapecheck checker defines __SHAPECHECK__ for every file it reads, so
 * the macros become clang annotate attributes that it can see.  For any other
 * compiler they expand to nothing: annotated code builds unchanged and pays
 * nothing.  This is the same trick sparse plays with __CHECKER__.
 *
 * The dimension language is described in docs/annotations.md.
 * No dependencies; C99 and later, GCC and Clang.
 */
#ifndef SHAPECHECK_H
#define SHAPECHECK_H

/* Each macro stringizes its own arguments: forwarding __VA_ARGS__ through
   another macro first would expand macro names in them (BATCH -> 32), and
   the checker wants the names as written, to trace them in its notes. */
#ifdef __SHAPECHECK__
#define SHAPECHECK_SHAPE(...) \
    __attribute__((annotate("shapecheck:shape:" #__VA_ARGS__)))
#define SHAPECHECK_RETURNS_SHAPE(...) \
    __attribute__((annotate("shapecheck:returns:" #__VA_ARGS__)))
#define SHAPECHECK_LOSS(...) \
    __attribute__((annotate("shapecheck:loss:" #__VA_ARGS__)))
#else
#define SHAPECHECK_SHAPE(...)
#define SHAPECHECK_RETURNS_SHAPE(...)
#define SHAPECHECK_LOSS(...)
#endif

#ifndef SHAPECHECK_NO_SHORT_NAMES
#ifdef __SHAPECHECK__
#ifndef SHAPE
#define SHAPE(...) __attribute__((annotate("shapecheck:shape:" #__VA_ARGS__)))
#endif
#ifndef RETURNS_SHAPE
#define RETURNS_SHAPE(...) \
    __attribute__((annotate("shapecheck:returns:" #__VA_ARGS__)))
#endif
#ifndef SHAPE_LOSS
#define SHAPE_LOSS(...) __attribute__((annotate("shapecheck:loss:" #__VA_ARGS__)))
#endif
#else
#ifndef SHAPE
#define SHAPE(...)
#endif
#ifndef RETURNS_SHAPE
#define RETURNS_SHAPE(...)
#endif
#ifndef SHAPE_LOSS
#define SHAPE_LOSS(...)
#endif
#endif
#endif

#endif /* SHAPECHECK_H */
