/*
 * rt_tensor.c - the tensor constructors: sc_view_* (a DLTensor that owns
 * its shape and strides) and the first sc_tensor_* (shape in caller
 * memory).  They validate nothing; the kernels do.
 */
#include "rt_internal.h"

#include <string.h>

/* A CPU tensor of RANK dims (already in SHAPE) over DATA, of dtype CODE
   and BITS, compact: strides NULL. */
static DLTensor make_tensor(void *data, int64_t *shape, int rank, uint8_t code,
                            uint8_t bits)
{
    DLTensor t;
    memset(&t, 0, sizeof t);
    t.data = data;
    t.device.device_type = kDLCPU;
    t.device.device_id = 0;
    t.ndim = rank;
    t.dtype.code = code;
    t.dtype.bits = bits;
    t.dtype.lanes = 1;
    t.shape = shape;
    t.strides = NULL;
    t.byte_offset = 0;
    return t;
}

/* ---- sc_view: the tensor points at its own arrays --------------------- */

/* Fills V with a compact tensor of RANK dims DIMS over DATA. */
static DLTensor *make_view(sc_view *v, void *data, const int64_t *dims,
                           int rank, uint8_t code, uint8_t bits)
{
    memset(v, 0, sizeof *v);
    memcpy(v->shape, dims, (size_t)rank * sizeof *dims);
    v->tensor = make_tensor(data, v->shape, rank, code, bits);
    return &v->tensor;
}

DLTensor *sc_view_f32_1d(sc_view *v, float *data, int64_t n)
{
    return make_view(v, data, (int64_t[]){n}, 1, kDLFloat, 32);
}

DLTensor *sc_view_f32_2d(sc_view *v, float *data, int64_t rows, int64_t cols)
{
    return make_view(v, data, (int64_t[]){rows, cols}, 2, kDLFloat, 32);
}

DLTensor *sc_view_f32_rows(sc_view *v, float *data, int64_t rows, int64_t cols,
                           int64_t row_stride)
{
    DLTensor *t = make_view(v, data, (int64_t[]){rows, cols}, 2, kDLFloat, 32);
    v->strides[0] = row_stride;
    v->strides[1] = 1;
    t->strides = v->strides;
    return t;
}

DLTensor *sc_view_f32_3d(sc_view *v, float *data, int64_t d0, int64_t d1,
                         int64_t d2)
{
    return make_view(v, data, (int64_t[]){d0, d1, d2}, 3, kDLFloat, 32);
}

DLTensor *sc_view_i32_1d(sc_view *v, int32_t *data, int64_t n)
{
    return make_view(v, data, (int64_t[]){n}, 1, kDLInt, 32);
}

DLTensor *sc_view_i64_1d(sc_view *v, int64_t *data, int64_t n)
{
    return make_view(v, data, (int64_t[]){n}, 1, kDLInt, 64);
}

/* ---- sc_tensor: the shape in caller memory ----------------------------- */

DLTensor sc_tensor_f32_1d(float *data, int64_t shape_store[SC_AT_LEAST 1],
                          int64_t n)
{
    shape_store[0] = n;
    return make_tensor(data, shape_store, 1, kDLFloat, 32);
}

DLTensor sc_tensor_f32_2d(float *data, int64_t shape_store[SC_AT_LEAST 2],
                          int64_t rows, int64_t cols)
{
    shape_store[0] = rows;
    shape_store[1] = cols;
    return make_tensor(data, shape_store, 2, kDLFloat, 32);
}

DLTensor sc_tensor_f32_3d(float *data, int64_t shape_store[SC_AT_LEAST 3],
                          int64_t d0, int64_t d1, int64_t d2)
{
    shape_store[0] = d0;
    shape_store[1] = d1;
    shape_store[2] = d2;
    return make_tensor(data, shape_store, 3, kDLFloat, 32);
}

DLTensor sc_tensor_i32_1d(int32_t *data, int64_t shape_store[SC_AT_LEAST 1],
                          int64_t n)
{
    shape_store[0] = n;
    return make_tensor(data, shape_store, 1, kDLInt, 32);
}

DLTensor sc_tensor_i64_1d(int64_t *data, int64_t shape_store[SC_AT_LEAST 1],
                          int64_t n)
{
    shape_store[0] = n;
    return make_tensor(data, shape_store, 1, kDLInt, 64);
}
