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
#include <string.h>

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

/* 256^(31-i) mod COARSE_MOD: the digest mod COARSE_MOD as one sum of independent products
 * (at most 32 x 255 x 9999, which fits in 32 bits) instead of a chain of 32 divisions. */
static uint32_t byte_weights[SHA256_DIGEST_LENGTH];

static void weights_init(void)
{
    uint32_t w = 1;
    for (int i = SHA256_DIGEST_LENGTH - 1; i >= 0; i--) {
        byte_weights[i] = w;
        w = w * 256 % COARSE_MOD;
    }
}

static void digest_of(const SHA256_CTX *base, const char *data, Py_ssize_t size,
                      unsigned char digest[SHA256_DIGEST_LENGTH])
{
    SHA256_CTX ctx = *base;
    SHA256_Update(&ctx, data, (size_t)size);
    SHA256_Final(digest, &ctx);
}

/* The first four digits of the ticket: the last four decimal digits of the digest read as a
 * big-endian integer, reversed. */
static uint16_t coarse_key(const SHA256_CTX *base, const char *data, Py_ssize_t size)
{
    unsigned char digest[SHA256_DIGEST_LENGTH];
    digest_of(base, data, size, digest);
    uint32_t rest = 0, reversed = 0;
    for (int i = 0; i < SHA256_DIGEST_LENGTH; i++)
        rest += digest[i] * byte_weights[i];
    rest %= COARSE_MOD;
    for (int i = 0; i < 4; i++) {
        reversed = reversed * 10 + rest % 10;
        rest /= 10;
    }
    return (uint16_t)reversed;
}

#define TICKET_DIGITS 64
#define TICKET_MAX (2 + 80) /* "0." and at most 78 digits for 256 bits */

/* The whole ticket: "0." then the digest's decimal digits from the units up, padded with
 * zeros to 64 digits (the reverse of the zero-padded decimal). Base 10^9 on 32-bit limbs, so
 * that every division is by a constant the compiler turns into a multiplication. */
static Py_ssize_t ticket_text(const unsigned char digest[SHA256_DIGEST_LENGTH], char *out)
{
    uint32_t limbs[8];
    for (int i = 0; i < 8; i++)
        limbs[i] = (uint32_t)digest[4 * i] << 24 | (uint32_t)digest[4 * i + 1] << 16 |
                   (uint32_t)digest[4 * i + 2] << 8 | digest[4 * i + 3];
    Py_ssize_t n = 2;
    out[0] = '0';
    out[1] = '.';
    int top = 0; /* limbs before `top` are zero */
    while (top < 8) {
        uint64_t rest = 0;
        for (int i = top; i < 8; i++) {
            uint64_t cur = rest << 32 | limbs[i];
            limbs[i] = (uint32_t)(cur / 1000000000u);
            rest = cur % 1000000000u;
        }
        while (top < 8 && limbs[top] == 0)
            top++;
        uint32_t chunk = (uint32_t)rest;
        /* all nine digits of a chunk, unless it is the most significant one */
        for (int d = 0; d < 9 && (top < 8 || chunk); d++) {
            out[n++] = (char)('0' + chunk % 10);
            chunk /= 10;
        }
    }
    while (n < 2 + TICKET_DIGITS)
        out[n++] = '0';
    return n;
}

static void base_of(SHA256_CTX *base, const Py_buffer *prefix)
{
    SHA256_Init(base);
    SHA256_Update(base, prefix->buf, (size_t)prefix->len);
}

/* The coarse key of the take-th smallest of `keys` (COARSE_MOD if there are fewer): every id
 * whose key is above it is out. */
static unsigned take_bound(const uint16_t *keys, Py_ssize_t count, Py_ssize_t take)
{
    Py_ssize_t counts[COARSE_MOD] = {0}, seen = 0;
    for (Py_ssize_t i = 0; i < count; i++)
        counts[keys[i]]++;
    for (unsigned k = 0; k < COARSE_MOD; k++) {
        seen += counts[k];
        if (seen >= take)
            return k;
    }
    return COARSE_MOD;
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
    for (Py_ssize_t i = 0; i < ids.count; i++)
        keys[i] = coarse_key(&base, ids.data[i], ids.sizes[i]);
    bound = take_bound(keys, ids.count, take);
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

/* bounded_lines(prefix, text, take) -> list[str]: `text` holds ids one per line (UTF-8, no
 * final newline; empty: none); returned, in input order, are those whose coarse key is at
 * most that of the take-th smallest (what `bounded` keeps), as str. A stratum's frozen list
 * is read from the draw as such a text: no Python object is made for the ids left out. */
static PyObject *bounded_lines(PyObject *self, PyObject *args)
{
    Py_buffer prefix;
    const char *text;
    Py_ssize_t length, take;
    PyObject *out = NULL;
    Py_ssize_t *starts = NULL;
    uint16_t *keys = NULL;
    if (!PyArg_ParseTuple(args, "y*s#n", &prefix, &text, &length, &take))
        return NULL;
    Py_ssize_t count = length ? 1 : 0;
    for (Py_ssize_t i = 0; i < length; i++)
        count += text[i] == '\n';
    starts = PyMem_Malloc(sizeof(Py_ssize_t) * (count + 1));
    keys = PyMem_Malloc(sizeof(uint16_t) * (count ? count : 1));
    if (!starts || !keys) {
        PyErr_NoMemory();
        goto done;
    }
    Py_ssize_t kept = 0;
    unsigned bound = COARSE_MOD;
    Py_BEGIN_ALLOW_THREADS
    for (Py_ssize_t i = 0, n = 0; n < count; i++) { /* starts[n]: where id n begins */
        if (i == 0 || text[i - 1] == '\n')
            starts[n++] = i;
    }
    starts[count] = length + 1; /* as if the text ended with a newline */
    SHA256_CTX base;
    base_of(&base, &prefix);
    for (Py_ssize_t n = 0; n < count; n++)
        keys[n] = coarse_key(&base, text + starts[n], starts[n + 1] - 1 - starts[n]);
    bound = take_bound(keys, count, take);
    for (Py_ssize_t n = 0; n < count; n++)
        kept += keys[n] <= bound;
    Py_END_ALLOW_THREADS
    if (!(out = PyList_New(kept)))
        goto done;
    for (Py_ssize_t n = 0, j = 0; n < count; n++) {
        if (keys[n] > bound)
            continue;
        PyObject *id = PyUnicode_DecodeUTF8(text + starts[n], starts[n + 1] - 1 - starts[n], NULL);
        if (!id) {
            Py_CLEAR(out);
            goto done;
        }
        PyList_SET_ITEM(out, j++, id);
    }
done:
    PyMem_Free(starts);
    PyMem_Free(keys);
    PyBuffer_Release(&prefix);
    return out;
}

/* coarse_order(prefix, ids, positions) -> (positions, keys): `positions` (native uint32) pick
 * the ids to rank; returned sorted by (coarse key, place in `positions`), with their keys
 * (native uint16). Equal keys are left for the caller to settle by exact ticket.
 *
 * Called once per drawn target with the whole pool: only the picked ids are read, and the
 * keys are sorted by a stable two-pass radix sort (a few hundred keys of 16 bits). */
static PyObject *coarse_order(PyObject *self, PyObject *args)
{
    Py_buffer prefix, picks;
    PyObject *list, *order = NULL, *keys = NULL;
    const char **data = NULL;
    Py_ssize_t *sizes = NULL;
    uint32_t *scratch = NULL;
    uint16_t *scratch_keys = NULL;
    if (!PyArg_ParseTuple(args, "y*O!y*", &prefix, &PyList_Type, &list, &picks))
        return NULL;
    Py_INCREF(list); /* its items stay alive while the GIL is released */
    Py_ssize_t count = picks.len / (Py_ssize_t)sizeof(uint32_t), total = PyList_GET_SIZE(list);
    Py_ssize_t room = count ? count : 1;
    const uint32_t *positions = picks.buf;
    data = PyMem_Malloc(sizeof(char *) * room);
    sizes = PyMem_Malloc(sizeof(Py_ssize_t) * room);
    scratch = PyMem_Malloc(sizeof(uint32_t) * room);
    scratch_keys = PyMem_Malloc(sizeof(uint16_t) * room);
    order = PyBytes_FromStringAndSize(NULL, count * 4);
    keys = PyBytes_FromStringAndSize(NULL, count * 2);
    if (!data || !sizes || !scratch || !scratch_keys || !order || !keys) {
        if (!PyErr_Occurred())
            PyErr_NoMemory();
        goto done;
    }
    for (Py_ssize_t i = 0; i < count; i++) {
        if (positions[i] >= (uint64_t)total) {
            PyErr_Format(PyExc_IndexError, "position %u is out of the %zd ids", positions[i],
                         total);
            goto done;
        }
        PyObject *item = PyList_GET_ITEM(list, positions[i]);
        if (PyBytes_Check(item)) {
            data[i] = PyBytes_AS_STRING(item);
            sizes[i] = PyBytes_GET_SIZE(item);
        } else if (PyUnicode_Check(item)) {
            if (!(data[i] = PyUnicode_AsUTF8AndSize(item, &sizes[i])))
                goto done;
        } else {
            PyErr_Format(PyExc_TypeError, "id %u is neither str nor bytes", positions[i]);
            goto done;
        }
    }
    uint32_t *order_out = (uint32_t *)PyBytes_AS_STRING(order);
    uint16_t *keys_out = (uint16_t *)PyBytes_AS_STRING(keys);
    Py_BEGIN_ALLOW_THREADS
    SHA256_CTX base;
    base_of(&base, &prefix);
    for (Py_ssize_t i = 0; i < count; i++) {
        scratch[i] = positions[i];
        scratch_keys[i] = coarse_key(&base, data[i], sizes[i]);
    }
    /* by the low byte, then by the high byte: stable, so equal keys keep their order in
     * `positions`; each pass moves the pairs between scratch and the output */
    uint32_t *from_order = scratch, *to_order = order_out;
    uint16_t *from_keys = scratch_keys, *to_keys = keys_out;
    for (int shift = 0; shift <= 8; shift += 8) {
        Py_ssize_t counts[256] = {0};
        for (Py_ssize_t i = 0; i < count; i++)
            counts[(from_keys[i] >> shift) & 0xff]++;
        for (Py_ssize_t b = 0, at = 0; b < 256; b++) {
            Py_ssize_t n = counts[b];
            counts[b] = at;
            at += n;
        }
        for (Py_ssize_t i = 0; i < count; i++) {
            Py_ssize_t to = counts[(from_keys[i] >> shift) & 0xff]++;
            to_order[to] = from_order[i];
            to_keys[to] = from_keys[i];
        }
        uint32_t *o = from_order;
        from_order = to_order;
        to_order = o;
        uint16_t *k = from_keys;
        from_keys = to_keys;
        to_keys = k;
    }
    /* two passes: the sorted pairs are back in scratch */
    memcpy(order_out, scratch, sizeof(uint32_t) * count);
    memcpy(keys_out, scratch_keys, sizeof(uint16_t) * count);
    Py_END_ALLOW_THREADS
done:
    PyMem_Free(data);
    PyMem_Free(sizes);
    PyMem_Free(scratch);
    PyMem_Free(scratch_keys);
    Py_DECREF(list);
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

/* tickets(prefix, ids) -> list[str]: the full ticket of every id, in input order */
static PyObject *tickets(PyObject *self, PyObject *args)
{
    Py_buffer prefix;
    PyObject *list, *out = NULL;
    Ids ids = {0};
    if (!PyArg_ParseTuple(args, "y*O!", &prefix, &PyList_Type, &list))
        return NULL;
    if (ids_read(list, &ids) != 0 || (out = PyList_New(ids.count)) == NULL)
        goto done;
    SHA256_CTX base;
    base_of(&base, &prefix);
    for (Py_ssize_t i = 0; i < ids.count; i++) {
        unsigned char digest[SHA256_DIGEST_LENGTH];
        char text[TICKET_MAX];
        digest_of(&base, ids.data[i], ids.sizes[i], digest);
        PyObject *ticket = PyUnicode_FromStringAndSize(text, ticket_text(digest, text));
        if (!ticket) {
            Py_CLEAR(out);
            goto done;
        }
        PyList_SET_ITEM(out, i, ticket);
    }
done:
    ids_free(&ids);
    PyBuffer_Release(&prefix);
    return out;
}

/* A frozen stratum's ids sorted, as text in and text out: prepare sorts a million ids, and as
 * Python strings they cost 70 MB and a split, a sort and a join. UTF-8 bytes compare as their
 * code points do, so the order is Python's. */
typedef struct {
    const char *data;
    Py_ssize_t size;
} Line;

static int line_cmp(const void *a, const void *b)
{
    const Line *x = a, *y = b;
    int c = memcmp(x->data, y->data, (size_t)(x->size < y->size ? x->size : y->size));
    return c ? c : (x->size > y->size) - (x->size < y->size);
}

static PyObject *sorted_lines(PyObject *self, PyObject *args)
{
    PyObject *text, *out = NULL;
    Py_ssize_t size, count = 1, n = 0;
    if (!PyArg_ParseTuple(args, "U", &text))
        return NULL;
    const char *data = PyUnicode_AsUTF8AndSize(text, &size);
    if (!data)
        return NULL;
    for (const char *at = data; (at = memchr(at, '\n', (size_t)(data + size - at))); at++)
        count++;
    Line *lines = PyMem_Malloc(sizeof(Line) * (size_t)count);
    char *joined = PyMem_Malloc((size_t)size + 1);
    if (!lines || !joined) {
        PyErr_NoMemory();
        goto done;
    }
    for (const char *start = data, *end; n < count; start = end + 1, n++) {
        end = memchr(start, '\n', (size_t)(data + size - start));
        end = end ? end : data + size;
        lines[n] = (Line){start, end - start};
    }
    int sorted = 1;
    for (Py_ssize_t i = 1; i < count && sorted; i++)
        sorted = line_cmp(&lines[i - 1], &lines[i]) <= 0;
    if (sorted) {
        out = Py_NewRef(text);
        goto done;
    }
    Py_BEGIN_ALLOW_THREADS
    qsort(lines, (size_t)count, sizeof(Line), line_cmp);
    char *to = joined;
    for (Py_ssize_t i = 0; i < count; i++) {
        if (i)
            *to++ = '\n';
        memcpy(to, lines[i].data, (size_t)lines[i].size);
        to += lines[i].size;
    }
    Py_END_ALLOW_THREADS
    out = PyUnicode_DecodeUTF8(joined, size, "strict");
done:
    PyMem_Free(lines);
    PyMem_Free(joined);
    return out;
}

static PyMethodDef methods[] = {
    {"coarse", coarse, METH_VARARGS, "Coarse keys (native uint16) of ids, in input order."},
    {"bounded", bounded, METH_VARARGS, "Positions of ids that may be among the take smallest."},
    {"coarse_order", coarse_order, METH_VARARGS, "Picked positions sorted by coarse key."},
    {"tickets", tickets, METH_VARARGS, "Full tickets of ids, in input order."},
    {"bounded_lines", bounded_lines, METH_VARARGS, "Ids of a text that may be among the smallest."},
    {"sorted_lines", sorted_lines, METH_VARARGS, "The lines of a text, sorted, as a text."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_fastticket", NULL, -1, methods};

PyMODINIT_FUNC PyInit__fastticket(void)
{
    weights_init();
    return PyModule_Create(&module);
}
