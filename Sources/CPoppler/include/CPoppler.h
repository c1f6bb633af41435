#ifndef CPOPPLER_H
#define CPOPPLER_H
// A C face over libpoppler-cpp: opaque handles, status codes and messages, no C++ types.
// Every function catches all exceptions; Poppler's own error printing goes to the handler
// installed with cpoppler_set_log_handler instead of stderr.

#include <stddef.h>
#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    CPOPPLER_OK = 0,
    CPOPPLER_ERROR_OPEN = 1,          // not a PDF Poppler can read (damaged, truncated, not a PDF)
    CPOPPLER_ERROR_PASSWORD = 2,      // encrypted, and the password given (or none) does not open it
    CPOPPLER_ERROR_PAGE = 3,          // page index out of range or page unreadable
    CPOPPLER_ERROR_RENDER = 4,        // rendering produced no image
    CPOPPLER_ERROR_MEMORY = 5,        // an allocation failed
    CPOPPLER_ERROR_EXCEPTION = 6,     // a C++ exception was caught; see the message
} CPopplerStatus;

typedef struct CPopplerDocument CPopplerDocument;

/// A gray 8-bit bitmap, one byte a pixel, rows `stride` bytes apart. Free with cpoppler_bitmap_free.
typedef struct {
    unsigned char *data;
    int width;
    int height;
    int stride;
} CPopplerBitmap;

/// One word of a page's text layer: UTF-8 text and its box in points, top-left origin, in the
/// page as displayed (its /Rotate applied).
typedef struct {
    char *text;
    double x0, y0, x1, y1;
    bool space_after;
} CPopplerWord;

typedef struct {
    CPopplerWord *words;
    size_t count;
} CPopplerWordList;

typedef void (*CPopplerLogHandler)(const char *message, void *context);

/// Routes Poppler's error printing to `handler` (process-wide). NULL silences it.
void cpoppler_set_log_handler(CPopplerLogHandler handler, void *context);

/// Opens a PDF from memory; the bytes are copied. `password` may be NULL (tries the empty password).
/// On failure *error_message (if not NULL) receives a malloc'ed message to free with cpoppler_string_free.
CPopplerStatus cpoppler_document_open(const char *data, size_t length, const char *password,
                                      CPopplerDocument **out_document, char **error_message);
/// Opens a PDF from a file, which Poppler reads as it needs (a large file is not loaded whole).
CPopplerStatus cpoppler_document_open_file(const char *path, const char *password,
                                           CPopplerDocument **out_document, char **error_message);
void cpoppler_document_free(CPopplerDocument *document);

int cpoppler_document_page_count(const CPopplerDocument *document);
bool cpoppler_document_is_encrypted(const CPopplerDocument *document);

/// The page size in points as displayed (width and height swapped for /Rotate 90 and 270).
CPopplerStatus cpoppler_page_size(const CPopplerDocument *document, int index,
                                  double *width_points, double *height_points, char **error_message);

/// Renders a page (its /Rotate applied) into a gray bitmap at `dpi`.
CPopplerStatus cpoppler_page_render_gray(const CPopplerDocument *document, int index, double dpi,
                                         CPopplerBitmap *out_bitmap, char **error_message);
void cpoppler_bitmap_free(CPopplerBitmap *bitmap);

/// The page's text layer as words in Poppler's reading order.
CPopplerStatus cpoppler_page_words(const CPopplerDocument *document, int index,
                                   CPopplerWordList *out_words, char **error_message);
void cpoppler_word_list_free(CPopplerWordList *words);

void cpoppler_string_free(char *string);

/// Poppler's version, e.g. "22.12.0" (a static string).
const char *cpoppler_version(void);

#ifdef __cplusplus
}
#endif

#endif
