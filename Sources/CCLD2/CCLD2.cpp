#include "CCLD2.h"

// compact_lang_det.h uses FILE without including <cstdio>.
#include <climits>
#include <cstdio>
#include <cstring>

#include <cld2/public/compact_lang_det.h>
#include <cld2/public/encodings.h>

CCLD2Status ccld2_detect(const char *text, size_t length, CCLD2Result *out_result) {
    std::memset(out_result, 0, sizeof(*out_result));
    if (text == nullptr || length == 0) return CCLD2_OK;
    try {
        const int bytes = length > static_cast<size_t>(INT_MAX) ? INT_MAX : static_cast<int>(length);
        CLD2::CLDHints hints = {nullptr, nullptr, CLD2::UNKNOWN_ENCODING, CLD2::UNKNOWN_LANGUAGE};
        CLD2::Language language3[3];
        int percent3[3] = {0, 0, 0};
        double normalized_score3[3] = {0, 0, 0};
        int text_bytes = 0;
        bool is_reliable = false;
        int valid_prefix_bytes = 0;
        CLD2::ExtDetectLanguageSummaryCheckUTF8(text, bytes, true, &hints, 0, language3, percent3,
                                                normalized_score3, nullptr, &text_bytes, &is_reliable,
                                                &valid_prefix_bytes);
        if (valid_prefix_bytes < bytes) return CCLD2_ERROR_INVALID_UTF8;
        for (int i = 0; i < 3; i++) {
            if (language3[i] == CLD2::UNKNOWN_LANGUAGE || percent3[i] <= 0) continue;
            const char *code = CLD2::LanguageCode(language3[i]);
            if (code == nullptr) continue;
            std::strncpy(out_result->languages[i].code, code, sizeof(out_result->languages[i].code) - 1);
            out_result->languages[i].percent = percent3[i];
        }
        out_result->text_bytes = text_bytes;
        out_result->is_reliable = is_reliable;
        return CCLD2_OK;
    } catch (...) {
        std::memset(out_result, 0, sizeof(*out_result));
        return CCLD2_ERROR_EXCEPTION;
    }
}
