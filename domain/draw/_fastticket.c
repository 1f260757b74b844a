/* Coarse ticket keys at C speed: the same numbers as the pure-Python code in
 * domain.draw.tickets, which stays the reference and the fallback (tests compare the two).
 *
 * A big draw hashes millions of (seed, id) pairs; in Python each costs a call, a state copy,
 * an encoding and an integer conversion. Here the 64-byte seed hash is compressed once and
 * its state copied per id, as in Python, through OpenSSL's SHA-256 (which uses the CPU's SHA
 * instructions where it has them), with the GIL released while hashing. */
#define PY_SSIZE_T_CLEAN
#define OPENSSL_SUPPRESS_DEPRECATED
#include <Python.h>
#include <openssl/sha.h>
#include <stdint.h>
#include <stdlib.h>

#define COARSE_MOD 10000

typedef struct {
    const char **data;
    Py_ssize_t *sizes;
    PyObject *held; /* a copy of the list: its items stay alive while the GIL is released */
    Py_ssize_t count;
} Ids;

static void ids_free(Ids *ids)
{
    PyMem_Free(ids->data);
    PyMem_Free(ids->sizes);
    Py_XDECREF(ids->held);
}

/* The UTF-8 bytes of every item of a list of str or bytes (str: CPython's cached UTF-8,
 * no copy for ASCII). */
static int ids_read(PyObject *list, Ids *ids)
{
    ids->count = PyList_GET_SIZE(list);
    Py_ssize_t n = ids->count ? ids->count : 1;
    ids->data = PyMem_Malloc(sizeof(char *) * n);
    ids->sizes = PyMem_Malloc(sizeof(Py_ssize_t) * n);
    ids->held = PyList_GetSlice(list, 0, ids->count);
    if (!ids->data || !ids->sizes || !ids->held) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < ids->count; i++) {
        PyObject *item = PyList_GET_ITEM(ids->held, i);
        if (PyBytes_Check(item)) {
            ids->data[i] = PyBytes_AS_STRING(item);
            ids->sizes[i] = PyBytes_GET_SIZE(item);
        } else if (PyUnicode_Check(item)) {
            ids->data[i] = PyUnicode_AsUTF8AndSize(item, &ids->sizes[i]);
            if (!ids->data[i])
                return -1;
        } else {
            PyErr_Format(PyExc_TypeError, "id %zd is neither str nor bytes", i);
            return -1;
        }
    }
    return 0;
}

/* The first four digits of the ticket: the last four decimal digits of the digest read as a
 * big-endian integer, reversed. */
static uint16_t coarse_key(const SHA256_CTX *base, const char *data, Py_ssize_t size)
{
    SHA256_CTX ctx = *base;
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256_Update(&ctx, data, (size_t)size);
    SHA256_Final(digest, &ctx);
    unsigned rest = 0, reversed = 0;
    for (int i = 0; i < SHA256_DIGEST_LENGTH; i++)
        rest = (rest * 256 + digest[i]) % COARSE_MOD;
    for (int i = 0; i < 4; i++) {
        reversed = reversed * 10 + rest % 10;
        rest /= 10;
    }
    return (uint16_t)reversed;
}

static void base_of(SHA256_CTX *base, const Py_buffer *prefix)
{
    SHA256_Init(base);
    SHA256_Update(base, prefix->buf, (size_t)prefix->len);
}

/* coarse(prefix, ids) -> bytes: native uint16 keys, in input order */
static PyObject *coarse(PyObject *self, PyObject *args)
{
    Py_buffer prefix;
    PyObject *list, *out = NULL;
    Ids ids = {0};
    if (!PyArg_ParseTuple(args, "y*O!", &prefix, &PyList_Type, &list))
        return NULL;
    if (ids_read(list, &ids) == 0 &&
        (out = PyBytes_FromStringAndSize(NULL, ids.count * 2)) != NULL) {
        uint16_t *keys = (uint16_t *)PyBytes_AS_STRING(out);
        Py_BEGIN_ALLOW_THREADS
        SHA256_CTX base;
        base_of(&base, &prefix);
        for (Py_ssize_t i = 0; i < ids.count; i++)
            keys[i] = coarse_key(&base, ids.data[i], ids.sizes[i]);
        Py_END_ALLOW_THREADS
    }
    ids_free(&ids);
    PyBuffer_Release(&prefix);
    return out;
}

/* bounded(prefix, ids, take) -> list[int]: in input order, the positions whose coarse key is
 * at most that of the take-th smallest: a superset of the take smallest tickets. */
static PyObject *bounded(PyObject *self, PyObject *args)
{
    Py_buffer prefix;
    PyObject *list, *out = NULL;
    Py_ssize_t take;
    Ids ids = {0};
    uint16_t *keys = NULL;
    if (!PyArg_ParseTuple(args, "y*O!n", &prefix, &PyList_Type, &list, &take))
        return NULL;
    if (ids_read(list, &ids) != 0)
        goto done;
    keys = PyMem_Malloc(sizeof(uint16_t) * (ids.count ? ids.count : 1));
    if (!keys) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t kept = 0;
    unsigned bound = COARSE_MOD;
    Py_BEGIN_ALLOW_THREADS
    SHA256_CTX base;
    base_of(&base, &prefix);
    Py_ssize_t counts[COARSE_MOD] = {0};
    for (Py_ssize_t i = 0; i < ids.count; i++) {
        keys[i] = coarse_key(&base, ids.data[i], ids.sizes[i]);
        counts[keys[i]]++;
    }
    Py_ssize_t seen = 0;
    for (unsigned k = 0; k < COARSE_MOD; k++) {
        seen += counts[k];
        if (seen >= take) {
            bound = k;
            break;
        }
    }
    for (Py_ssize_t i = 0; i < ids.count; i++)
        kept += keys[i] <= bound;
    Py_END_ALLOW_THREADS
    out = PyList_New(kept);
    if (!out)
        goto done;
    for (Py_ssize_t i = 0, j = 0; i < ids.count; i++) {
        if (keys[i] <= bound) {
            PyObject *index = PyLong_FromSsize_t(i);
            if (!index) {
                Py_CLEAR(out);
                goto done;
            }
            PyList_SET_ITEM(out, j++, index);
        }
    }
done:
    PyMem_Free(keys);
    ids_free(&ids);
    PyBuffer_Release(&prefix);
    return out;
}

static int by_key_then_index(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

/* coarse_order(prefix, ids, positions) -> (positions, keys): `positions` (native uint32) pick
 * the ids to rank; returned sorted by (coarse key, place in `positions`), with their keys
 * (native uint16). Equal keys are left for the caller to settle by exact ticket. */
static PyObject *coarse_order(PyObject *self, PyObject *args)
{
    Py_buffer prefix, picks;
    PyObject *list, *order = NULL, *keys = NULL;
    Ids ids = {0};
    uint64_t *pairs = NULL;
    if (!PyArg_ParseTuple(args, "y*O!y*", &prefix, &PyList_Type, &list, &picks))
        return NULL;
    Py_ssize_t count = picks.len / (Py_ssize_t)sizeof(uint32_t);
    const uint32_t *positions = picks.buf;
    if (ids_read(list, &ids) != 0)
        goto done;
    for (Py_ssize_t i = 0; i < count; i++) {
        if (positions[i] >= (uint64_t)ids.count) {
            PyErr_Format(PyExc_IndexError, "position %u is out of the %zd ids", positions[i],
                         ids.count);
            goto done;
        }
    }
    pairs = PyMem_Malloc(sizeof(uint64_t) * (count ? count : 1));
    order = PyBytes_FromStringAndSize(NULL, count * 4);
    keys = PyBytes_FromStringAndSize(NULL, count * 2);
    if (!pairs || !order || !keys) {
        if (!PyErr_Occurred())
            PyErr_NoMemory();
        goto done;
    }
    uint32_t *order_out = (uint32_t *)PyBytes_AS_STRING(order);
    uint16_t *keys_out = (uint16_t *)PyBytes_AS_STRING(keys);
    Py_BEGIN_ALLOW_THREADS
    SHA256_CTX base;
    base_of(&base, &prefix);
    for (Py_ssize_t i = 0; i < count; i++) {
        uint32_t p = positions[i];
        pairs[i] = (uint64_t)coarse_key(&base, ids.data[p], ids.sizes[p]) << 32 | (uint64_t)i;
    }
    qsort(pairs, (size_t)count, sizeof(uint64_t), by_key_then_index);
    for (Py_ssize_t i = 0; i < count; i++) {
        order_out[i] = positions[pairs[i] & 0xffffffffu];
        keys_out[i] = (uint16_t)(pairs[i] >> 32);
    }
    Py_END_ALLOW_THREADS
done:
    PyMem_Free(pairs);
    ids_free(&ids);
    PyBuffer_Release(&prefix);
    PyBuffer_Release(&picks);
    if (PyErr_Occurred()) {
        Py_XDECREF(order);
        Py_XDECREF(keys);
        return NULL;
    }
    PyObject *result = PyTuple_Pack(2, order, keys);
    Py_DECREF(order);
    Py_DECREF(keys);
    return result;
}

static PyMethodDef methods[] = {
    {"coarse", coarse, METH_VARARGS, "Coarse keys (native uint16) of ids, in input order."},
    {"bounded", bounded, METH_VARARGS, "Positions of ids that may be among the take smallest."},
    {"coarse_order", coarse_order, METH_VARARGS, "Picked positions sorted by coarse key."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_fastticket", NULL, -1, methods};

PyMODINIT_FUNC PyInit__fastticket(void) { return PyModule_Create(&module); }
