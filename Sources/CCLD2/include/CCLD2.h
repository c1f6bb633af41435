#ifndef CCLD2_H
#define CCLD2_H
// A C face over Google's Compact Language Detector 2 (libcld2, C++): plain structs and a status
// code, no C++ type crosses it. CLD2 holds no state between calls and is thread-safe.

#include <stddef.h>
#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

/// One of the (up to) three languages CLD2 finds in a text.
typedef struct {
    /// CLD2's code: ISO 639-1 where there is one (`fr`, `de`, `iw`, `zh`, `zh-Hant`), else ISO 639-2/3;
    /// empty for an unused slot or an unknown language.
    char code[16];
    /// Share of the text's letters in this language, 0…100.
    int percent;
} CCLD2Language;

typedef struct {
    CCLD2Language languages[3];
    /// Letters CLD2 looked at (markup and digits left out).
    int text_bytes;
    /// CLD2's own judgement that the first language is clearly more likely than the second,
    /// which takes the length of the text into account.
    bool is_reliable;
} CCLD2Result;

typedef enum {
    CCLD2_OK = 0,
    CCLD2_ERROR_INVALID_UTF8 = 1,   // the text is not valid UTF-8
    CCLD2_ERROR_EXCEPTION = 2,      // a C++ exception was caught
} CCLD2Status;

/// Identifies the languages of `length` bytes of plain UTF-8 text.
CCLD2Status ccld2_detect(const char *text, size_t length, CCLD2Result *out_result);

#ifdef __cplusplus
}
#endif

#endif
