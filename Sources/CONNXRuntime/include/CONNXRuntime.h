#ifndef CONNXRUNTIME_H
#define CONNXRUNTIME_H
// A small C face over ONNX Runtime's C API, opened with dlopen at run time: the package builds
// and the cpu tier runs where libonnxruntime is missing. Only what the neural recogniser needs:
// one process-wide runtime, sessions with one float input and one float output, and a model's
// custom metadata. Every call reports failure as a status with a message, never by crashing.

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    CONNXRUNTIME_OK = 0,
    CONNXRUNTIME_ERROR_LIBRARY = 1,   // the library could not be opened or has no OrtGetApiBase
    CONNXRUNTIME_ERROR_API = 2,       // the library does not offer the API version this face is written for
    CONNXRUNTIME_ERROR_RUNTIME = 3,   // an ONNX Runtime call returned an error status; see the message
    CONNXRUNTIME_ERROR_ARGUMENT = 4,  // a shape or a buffer that cannot be right
    CONNXRUNTIME_ERROR_MEMORY = 5,    // an allocation failed
} CONNXRuntimeStatus;

typedef struct CONNXRuntime CONNXRuntime;
typedef struct CONNXRuntimeSession CONNXRuntimeSession;

/// The most dimensions an output may have.
#define CONNXRUNTIME_MAX_RANK 8

/// A float tensor the runtime produced, copied out; free with connxruntime_tensor_free.
typedef struct {
    float *data;
    size_t count;
    int64_t shape[CONNXRUNTIME_MAX_RANK];
    size_t rank;
} CONNXRuntimeTensor;

/// Opens the library at `library_path` and creates the runtime's one environment.
/// On failure *error_message (if not NULL) receives a malloc'ed message (free with connxruntime_string_free).
CONNXRuntimeStatus connxruntime_open(const char *library_path, CONNXRuntime **out_runtime, char **error_message);
/// The library's own version string (owned by the library).
const char *connxruntime_version(const CONNXRuntime *runtime);
/// Releases the environment. The library stays loaded for the life of the process.
void connxruntime_close(CONNXRuntime *runtime);

/// Loads a model with `intra_op_threads` threads for one run (sequential execution, full graph
/// optimisation, no memory arena: page images come in every size).
CONNXRuntimeStatus connxruntime_session_open(CONNXRuntime *runtime, const char *model_path, int intra_op_threads,
                                             CONNXRuntimeSession **out_session, char **error_message);
void connxruntime_session_free(CONNXRuntimeSession *session);

/// The value of a key of the model's custom metadata map, malloc'ed, or NULL in *out_value when
/// the model has no such key.
CONNXRuntimeStatus connxruntime_session_metadata(CONNXRuntimeSession *session, const char *key, char **out_value,
                                                 char **error_message);

/// Runs the model on one float tensor (its first input) and copies out its first output.
/// Safe to call from several threads on one session.
CONNXRuntimeStatus connxruntime_session_run(CONNXRuntimeSession *session, const float *input, const int64_t *shape,
                                            size_t rank, CONNXRuntimeTensor *out_tensor, char **error_message);

/// Like connxruntime_session_run, but reduces the output's last axis to its largest value and
/// where it lies: the result has the output's leading dimensions and a last one of 2, holding
/// (index, value) pairs. A recogniser's scores over thousands of characters are never copied out.
CONNXRuntimeStatus connxruntime_session_run_argmax(CONNXRuntimeSession *session, const float *input,
                                                   const int64_t *shape, size_t rank, CONNXRuntimeTensor *out_tensor,
                                                   char **error_message);

void connxruntime_tensor_free(CONNXRuntimeTensor *tensor);
void connxruntime_string_free(char *string);

#ifdef __cplusplus
}
#endif

#endif
