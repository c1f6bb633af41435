// ONNX Runtime's C API reached through its function table, written from the documented ABI of
// onnxruntime_c_api.h (MIT, Microsoft): `OrtGetApiBase()` returns { GetApi, GetVersionString };
// `GetApi(version)` returns the `OrtApi` table of function pointers, whose order is fixed and only
// ever appended to, so an index below holds for every library that offers `API_VERSION`.
#define _GNU_SOURCE  // vasprintf
#include "CONNXRuntime.h"

#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// The oldest API version whose table holds every entry used here (ONNX Runtime 1.14).
#define API_VERSION 14

// Positions in the OrtApi table (onnxruntime_c_api.h, struct OrtApi, counted from 0).
enum {
    ORT_GET_ERROR_MESSAGE = 2,
    ORT_CREATE_ENV = 3,
    ORT_CREATE_SESSION = 7,
    ORT_RUN = 9,
    ORT_CREATE_SESSION_OPTIONS = 10,
    ORT_SET_SESSION_EXECUTION_MODE = 13,
    ORT_DISABLE_CPU_MEM_ARENA = 19,
    ORT_SET_SESSION_GRAPH_OPTIMIZATION_LEVEL = 23,
    ORT_SET_INTRA_OP_NUM_THREADS = 24,
    ORT_SET_INTER_OP_NUM_THREADS = 25,
    ORT_SESSION_GET_INPUT_COUNT = 30,
    ORT_SESSION_GET_OUTPUT_COUNT = 31,
    ORT_SESSION_GET_INPUT_NAME = 36,
    ORT_SESSION_GET_OUTPUT_NAME = 37,
    ORT_CREATE_TENSOR_WITH_DATA_AS_ORT_VALUE = 49,
    ORT_GET_TENSOR_MUTABLE_DATA = 51,
    ORT_GET_TENSOR_ELEMENT_TYPE = 60,
    ORT_GET_DIMENSIONS_COUNT = 61,
    ORT_GET_DIMENSIONS = 62,
    ORT_GET_TENSOR_SHAPE_ELEMENT_COUNT = 64,
    ORT_GET_TENSOR_TYPE_AND_SHAPE = 65,
    ORT_CREATE_CPU_MEMORY_INFO = 69,
    ORT_ALLOCATOR_FREE = 76,
    ORT_GET_ALLOCATOR_WITH_DEFAULT_OPTIONS = 78,
    ORT_RELEASE_ENV = 92,
    ORT_RELEASE_STATUS = 93,
    ORT_RELEASE_MEMORY_INFO = 94,
    ORT_RELEASE_SESSION = 95,
    ORT_RELEASE_VALUE = 96,
    ORT_RELEASE_TENSOR_TYPE_AND_SHAPE_INFO = 99,
    ORT_RELEASE_SESSION_OPTIONS = 100,
    ORT_SESSION_GET_MODEL_METADATA = 111,
    ORT_MODEL_METADATA_LOOKUP_CUSTOM_METADATA_MAP = 116,
    ORT_RELEASE_MODEL_METADATA = 118,
};

// The values of the header's enums that are passed here.
enum { ORT_LOGGING_LEVEL_FATAL = 4 };
enum { ORT_SEQUENTIAL = 0 };
enum { ORT_ENABLE_ALL = 99 };
enum { ORT_DEVICE_ALLOCATOR = 0 };
enum { ORT_MEM_TYPE_DEFAULT = 0 };
enum { ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT = 1 };

typedef void OrtStatus, OrtEnv, OrtSession, OrtSessionOptions, OrtValue, OrtMemoryInfo, OrtAllocator,
    OrtTensorTypeAndShapeInfo, OrtModelMetadata;

typedef struct {
    const void *(*GetApi)(uint32_t version);
    const char *(*GetVersionString)(void);
} OrtApiBase;

// The function types of the entries used, as the header declares them.
typedef const char *(*GetErrorMessageFn)(const OrtStatus *);
typedef OrtStatus *(*CreateEnvFn)(int, const char *, OrtEnv **);
typedef OrtStatus *(*CreateSessionFn)(const OrtEnv *, const char *, const OrtSessionOptions *, OrtSession **);
typedef OrtStatus *(*RunFn)(OrtSession *, const void *, const char *const *, const OrtValue *const *, size_t,
                            const char *const *, size_t, OrtValue **);
typedef OrtStatus *(*CreateSessionOptionsFn)(OrtSessionOptions **);
typedef OrtStatus *(*SetIntFn)(OrtSessionOptions *, int);
typedef OrtStatus *(*OptionsFn)(OrtSessionOptions *);
typedef OrtStatus *(*CountFn)(const OrtSession *, size_t *);
typedef OrtStatus *(*NameFn)(const OrtSession *, size_t, OrtAllocator *, char **);
typedef OrtStatus *(*CreateTensorWithDataFn)(const OrtMemoryInfo *, void *, size_t, const int64_t *, size_t, int,
                                             OrtValue **);
typedef OrtStatus *(*GetTensorMutableDataFn)(OrtValue *, void **);
typedef OrtStatus *(*GetTensorElementTypeFn)(const OrtTensorTypeAndShapeInfo *, int *);
typedef OrtStatus *(*GetDimensionsCountFn)(const OrtTensorTypeAndShapeInfo *, size_t *);
typedef OrtStatus *(*GetDimensionsFn)(const OrtTensorTypeAndShapeInfo *, int64_t *, size_t);
typedef OrtStatus *(*GetTensorShapeElementCountFn)(const OrtTensorTypeAndShapeInfo *, size_t *);
typedef OrtStatus *(*GetTensorTypeAndShapeFn)(const OrtValue *, OrtTensorTypeAndShapeInfo **);
typedef OrtStatus *(*CreateCpuMemoryInfoFn)(int, int, OrtMemoryInfo **);
typedef OrtStatus *(*AllocatorFreeFn)(OrtAllocator *, void *);
typedef OrtStatus *(*GetAllocatorFn)(OrtAllocator **);
typedef OrtStatus *(*GetModelMetadataFn)(const OrtSession *, OrtModelMetadata **);
typedef OrtStatus *(*LookupCustomMetadataFn)(const OrtModelMetadata *, OrtAllocator *, const char *, char **);
typedef void (*ReleaseFn)(void *);

struct CONNXRuntime {
    const void *const *api;  // the OrtApi table
    const char *version;
    OrtEnv *env;
    OrtMemoryInfo *cpu_memory;
    OrtAllocator *allocator;  // the default allocator: not to be freed
};

struct CONNXRuntimeSession {
    CONNXRuntime *runtime;
    OrtSession *session;
    char *input_name;
    char *output_name;
};

#define API(runtime, index, type) ((type)(runtime)->api[index])

static char *formatted(const char *format, ...) {
    va_list arguments;
    va_start(arguments, format);
    char *message = NULL;
    if (vasprintf(&message, format, arguments) < 0) message = NULL;
    va_end(arguments);
    return message;
}

static void set_error(char **error_message, char *message) {
    if (error_message) {
        *error_message = message;
    } else {
        free(message);
    }
}

// Turns a failed status into a message naming the call, and releases it.
static CONNXRuntimeStatus failed(const CONNXRuntime *runtime, OrtStatus *status, const char *call,
                                 char **error_message) {
    const char *detail = API(runtime, ORT_GET_ERROR_MESSAGE, GetErrorMessageFn)(status);
    set_error(error_message, formatted("%s: %s", call, detail ? detail : "(no message)"));
    API(runtime, ORT_RELEASE_STATUS, ReleaseFn)(status);
    return CONNXRUNTIME_ERROR_RUNTIME;
}

#define CHECK(runtime, expression, call)                                          \
    do {                                                                          \
        OrtStatus *status_ = (expression);                                        \
        if (status_) return failed((runtime), status_, (call), error_message);    \
    } while (0)

CONNXRuntimeStatus connxruntime_open(const char *library_path, CONNXRuntime **out_runtime, char **error_message) {
    *out_runtime = NULL;
    void *library = dlopen(library_path, RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        const char *reason = dlerror();
        set_error(error_message, formatted("dlopen: %s", reason ? reason : library_path));
        return CONNXRUNTIME_ERROR_LIBRARY;
    }
    const OrtApiBase *(*get_api_base)(void) = (const OrtApiBase *(*)(void))dlsym(library, "OrtGetApiBase");
    const OrtApiBase *base = get_api_base ? get_api_base() : NULL;
    if (!base) {
        set_error(error_message, formatted("%s has no OrtGetApiBase: not ONNX Runtime", library_path));
        dlclose(library);
        return CONNXRUNTIME_ERROR_LIBRARY;
    }
    const void *const *api = (const void *const *)base->GetApi(API_VERSION);
    if (!api) {
        set_error(error_message, formatted("ONNX Runtime %s does not offer API version %d (1.14 or newer is needed)",
                                           base->GetVersionString(), API_VERSION));
        dlclose(library);
        return CONNXRUNTIME_ERROR_API;
    }
    CONNXRuntime *runtime = calloc(1, sizeof(CONNXRuntime));
    if (!runtime) return CONNXRUNTIME_ERROR_MEMORY;
    runtime->api = api;
    runtime->version = base->GetVersionString();
    OrtStatus *status = API(runtime, ORT_CREATE_ENV, CreateEnvFn)(ORT_LOGGING_LEVEL_FATAL, "ocrchat", &runtime->env);
    if (!status) {
        status = API(runtime, ORT_CREATE_CPU_MEMORY_INFO, CreateCpuMemoryInfoFn)(ORT_DEVICE_ALLOCATOR, ORT_MEM_TYPE_DEFAULT,
                                                                                 &runtime->cpu_memory);
    }
    if (!status) status = API(runtime, ORT_GET_ALLOCATOR_WITH_DEFAULT_OPTIONS, GetAllocatorFn)(&runtime->allocator);
    if (status) {
        CONNXRuntimeStatus result = failed(runtime, status, "CreateEnv", error_message);
        connxruntime_close(runtime);
        return result;
    }
    *out_runtime = runtime;
    return CONNXRUNTIME_OK;
}

const char *connxruntime_version(const CONNXRuntime *runtime) { return runtime->version; }

void connxruntime_close(CONNXRuntime *runtime) {
    if (!runtime) return;
    if (runtime->cpu_memory) API(runtime, ORT_RELEASE_MEMORY_INFO, ReleaseFn)(runtime->cpu_memory);
    if (runtime->env) API(runtime, ORT_RELEASE_ENV, ReleaseFn)(runtime->env);
    free(runtime);
}

// Copies a name the default allocator made, and frees the original.
static char *copied_name(CONNXRuntime *runtime, char *name) {
    char *copy = strdup(name);
    OrtStatus *status = API(runtime, ORT_ALLOCATOR_FREE, AllocatorFreeFn)(runtime->allocator, name);
    if (status) API(runtime, ORT_RELEASE_STATUS, ReleaseFn)(status);
    return copy;
}

static CONNXRuntimeStatus open_session(CONNXRuntime *runtime, const char *model_path, int intra_op_threads,
                                       CONNXRuntimeSession *session, OrtSessionOptions *options,
                                       char **error_message) {
    CHECK(runtime, API(runtime, ORT_SET_INTRA_OP_NUM_THREADS, SetIntFn)(options, intra_op_threads), "SetIntraOpNumThreads");
    CHECK(runtime, API(runtime, ORT_SET_INTER_OP_NUM_THREADS, SetIntFn)(options, 1), "SetInterOpNumThreads");
    CHECK(runtime, API(runtime, ORT_SET_SESSION_EXECUTION_MODE, SetIntFn)(options, ORT_SEQUENTIAL), "SetSessionExecutionMode");
    CHECK(runtime, API(runtime, ORT_SET_SESSION_GRAPH_OPTIMIZATION_LEVEL, SetIntFn)(options, ORT_ENABLE_ALL),
          "SetSessionGraphOptimizationLevel");
    CHECK(runtime, API(runtime, ORT_DISABLE_CPU_MEM_ARENA, OptionsFn)(options), "DisableCpuMemArena");
    CHECK(runtime, API(runtime, ORT_CREATE_SESSION, CreateSessionFn)(runtime->env, model_path, options, &session->session),
          "CreateSession");
    size_t inputs = 0, outputs = 0;
    CHECK(runtime, API(runtime, ORT_SESSION_GET_INPUT_COUNT, CountFn)(session->session, &inputs), "SessionGetInputCount");
    CHECK(runtime, API(runtime, ORT_SESSION_GET_OUTPUT_COUNT, CountFn)(session->session, &outputs), "SessionGetOutputCount");
    if (inputs < 1 || outputs < 1) {
        set_error(error_message, formatted("%s has %zu inputs and %zu outputs; one of each is needed", model_path,
                                           inputs, outputs));
        return CONNXRUNTIME_ERROR_ARGUMENT;
    }
    char *name = NULL;
    CHECK(runtime, API(runtime, ORT_SESSION_GET_INPUT_NAME, NameFn)(session->session, 0, runtime->allocator, &name),
          "SessionGetInputName");
    session->input_name = copied_name(runtime, name);
    CHECK(runtime, API(runtime, ORT_SESSION_GET_OUTPUT_NAME, NameFn)(session->session, 0, runtime->allocator, &name),
          "SessionGetOutputName");
    session->output_name = copied_name(runtime, name);
    if (!session->input_name || !session->output_name) return CONNXRUNTIME_ERROR_MEMORY;
    return CONNXRUNTIME_OK;
}

CONNXRuntimeStatus connxruntime_session_open(CONNXRuntime *runtime, const char *model_path, int intra_op_threads,
                                             CONNXRuntimeSession **out_session, char **error_message) {
    *out_session = NULL;
    CONNXRuntimeSession *session = calloc(1, sizeof(CONNXRuntimeSession));
    if (!session) return CONNXRUNTIME_ERROR_MEMORY;
    session->runtime = runtime;
    OrtSessionOptions *options = NULL;
    OrtStatus *status = API(runtime, ORT_CREATE_SESSION_OPTIONS, CreateSessionOptionsFn)(&options);
    if (status) {
        free(session);
        return failed(runtime, status, "CreateSessionOptions", error_message);
    }
    CONNXRuntimeStatus result = open_session(runtime, model_path, intra_op_threads, session, options, error_message);
    API(runtime, ORT_RELEASE_SESSION_OPTIONS, ReleaseFn)(options);
    if (result != CONNXRUNTIME_OK) {
        connxruntime_session_free(session);
        return result;
    }
    *out_session = session;
    return CONNXRUNTIME_OK;
}

void connxruntime_session_free(CONNXRuntimeSession *session) {
    if (!session) return;
    if (session->session) API(session->runtime, ORT_RELEASE_SESSION, ReleaseFn)(session->session);
    free(session->input_name);
    free(session->output_name);
    free(session);
}

CONNXRuntimeStatus connxruntime_session_metadata(CONNXRuntimeSession *session, const char *key, char **out_value,
                                                 char **error_message) {
    CONNXRuntime *runtime = session->runtime;
    *out_value = NULL;
    OrtModelMetadata *metadata = NULL;
    CHECK(runtime, API(runtime, ORT_SESSION_GET_MODEL_METADATA, GetModelMetadataFn)(session->session, &metadata),
          "SessionGetModelMetadata");
    char *value = NULL;
    OrtStatus *status = API(runtime, ORT_MODEL_METADATA_LOOKUP_CUSTOM_METADATA_MAP, LookupCustomMetadataFn)(
        metadata, runtime->allocator, key, &value);
    API(runtime, ORT_RELEASE_MODEL_METADATA, ReleaseFn)(metadata);
    if (status) return failed(runtime, status, "ModelMetadataLookupCustomMetadataMap", error_message);
    if (value) {
        *out_value = copied_name(runtime, value);
        if (!*out_value) return CONNXRUNTIME_ERROR_MEMORY;
    }
    return CONNXRUNTIME_OK;
}

// Copies the output tensor's floats and shape into `tensor`; with `argmax`, only the largest value
// of each run along the last axis and its index.
static CONNXRuntimeStatus copy_output(CONNXRuntime *runtime, OrtValue *output, int argmax, CONNXRuntimeTensor *tensor,
                                      char **error_message) {
    OrtTensorTypeAndShapeInfo *info = NULL;
    CHECK(runtime, API(runtime, ORT_GET_TENSOR_TYPE_AND_SHAPE, GetTensorTypeAndShapeFn)(output, &info), "GetTensorTypeAndShape");
    int type = 0;
    size_t rank = 0, count = 0;
    OrtStatus *status = API(runtime, ORT_GET_TENSOR_ELEMENT_TYPE, GetTensorElementTypeFn)(info, &type);
    if (!status) status = API(runtime, ORT_GET_DIMENSIONS_COUNT, GetDimensionsCountFn)(info, &rank);
    if (!status && rank <= CONNXRUNTIME_MAX_RANK) {
        status = API(runtime, ORT_GET_DIMENSIONS, GetDimensionsFn)(info, tensor->shape, rank);
    }
    if (!status) status = API(runtime, ORT_GET_TENSOR_SHAPE_ELEMENT_COUNT, GetTensorShapeElementCountFn)(info, &count);
    API(runtime, ORT_RELEASE_TENSOR_TYPE_AND_SHAPE_INFO, ReleaseFn)(info);
    if (status) return failed(runtime, status, "GetTensorTypeAndShape", error_message);
    if (type != ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT || rank > CONNXRUNTIME_MAX_RANK) {
        set_error(error_message, formatted("the model's output is of element type %d with %zu dimensions; "
                                           "floats with at most %d are expected", type, rank, CONNXRUNTIME_MAX_RANK));
        return CONNXRUNTIME_ERROR_ARGUMENT;
    }
    void *data = NULL;
    CHECK(runtime, API(runtime, ORT_GET_TENSOR_MUTABLE_DATA, GetTensorMutableDataFn)(output, &data), "GetTensorMutableData");
    tensor->rank = rank;
    if (!argmax) {
        tensor->count = count;
        tensor->data = malloc(count ? count * sizeof(float) : 1);
        if (!tensor->data) return CONNXRUNTIME_ERROR_MEMORY;
        if (count) memcpy(tensor->data, data, count * sizeof(float));
        return CONNXRUNTIME_OK;
    }
    size_t classes = rank ? (size_t)tensor->shape[rank - 1] : 0;
    if (classes == 0) {
        set_error(error_message, formatted("the model's output has no last axis to reduce"));
        return CONNXRUNTIME_ERROR_ARGUMENT;
    }
    size_t positions = count / classes;
    tensor->shape[rank - 1] = 2;
    tensor->count = positions * 2;
    tensor->data = malloc(positions ? positions * 2 * sizeof(float) : 1);
    if (!tensor->data) return CONNXRUNTIME_ERROR_MEMORY;
    const float *scores = data;
    for (size_t position = 0; position < positions; position++) {
        const float *row = scores + position * classes;
        size_t best = 0;
        for (size_t index = 1; index < classes; index++) {
            if (row[index] > row[best]) best = index;
        }
        tensor->data[position * 2] = (float)best;
        tensor->data[position * 2 + 1] = row[best];
    }
    return CONNXRUNTIME_OK;
}

static CONNXRuntimeStatus run(CONNXRuntimeSession *session, const float *input, const int64_t *shape, size_t rank,
                              int argmax, CONNXRuntimeTensor *out_tensor, char **error_message) {
    CONNXRuntime *runtime = session->runtime;
    memset(out_tensor, 0, sizeof(*out_tensor));
    size_t count = 1;
    for (size_t axis = 0; axis < rank; axis++) {
        if (shape[axis] <= 0) {
            set_error(error_message, formatted("dimension %zu of the input is %lld", axis, (long long)shape[axis]));
            return CONNXRUNTIME_ERROR_ARGUMENT;
        }
        count *= (size_t)shape[axis];
    }
    OrtValue *tensor = NULL;
    CHECK(runtime, API(runtime, ORT_CREATE_TENSOR_WITH_DATA_AS_ORT_VALUE, CreateTensorWithDataFn)(
              runtime->cpu_memory, (void *)input, count * sizeof(float), shape, rank,
              ONNX_TENSOR_ELEMENT_DATA_TYPE_FLOAT, &tensor),
          "CreateTensorWithDataAsOrtValue");
    OrtValue *output = NULL;
    const char *input_names[1] = {session->input_name};
    const char *output_names[1] = {session->output_name};
    const OrtValue *inputs[1] = {tensor};
    OrtStatus *status = API(runtime, ORT_RUN, RunFn)(session->session, NULL, input_names, inputs, 1, output_names, 1, &output);
    API(runtime, ORT_RELEASE_VALUE, ReleaseFn)(tensor);
    if (status) return failed(runtime, status, "Run", error_message);
    CONNXRuntimeStatus result = copy_output(runtime, output, argmax, out_tensor, error_message);
    API(runtime, ORT_RELEASE_VALUE, ReleaseFn)(output);
    if (result != CONNXRUNTIME_OK) connxruntime_tensor_free(out_tensor);
    return result;
}

CONNXRuntimeStatus connxruntime_session_run(CONNXRuntimeSession *session, const float *input, const int64_t *shape,
                                            size_t rank, CONNXRuntimeTensor *out_tensor, char **error_message) {
    return run(session, input, shape, rank, 0, out_tensor, error_message);
}

CONNXRuntimeStatus connxruntime_session_run_argmax(CONNXRuntimeSession *session, const float *input,
                                                   const int64_t *shape, size_t rank, CONNXRuntimeTensor *out_tensor,
                                                   char **error_message) {
    return run(session, input, shape, rank, 1, out_tensor, error_message);
}

void connxruntime_tensor_free(CONNXRuntimeTensor *tensor) {
    free(tensor->data);
    tensor->data = NULL;
    tensor->count = 0;
}

void connxruntime_string_free(char *string) { free(string); }
