#include "CPoppler.h"
#include "CShimSupport.h"

#include <poppler/cpp/poppler-document.h>
#include <poppler/cpp/poppler-global.h>
#include <poppler/cpp/poppler-image.h>
#include <poppler/cpp/poppler-page.h>
#include <poppler/cpp/poppler-page-renderer.h>
#include <poppler/cpp/poppler-version.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <memory>
#include <mutex>
#include <new>
#include <string>
#include <vector>

struct CPopplerDocument {
    std::vector<char> bytes;  // Poppler reads from these for the document's whole life
    std::unique_ptr<poppler::document> document;
    // Poppler's document is not safe for concurrent use; every call takes this lock.
    mutable std::mutex lock;
};

namespace {

CPopplerLogHandler log_handler = nullptr;
void *log_context = nullptr;

void forward_poppler_message(const std::string &message, void *) {
    if (log_handler != nullptr) {
        log_handler(message.c_str(), log_context);
    }
}

using cshim::set_message;

char *copy_string(const std::string &string) {
    char *copy = static_cast<char *>(std::malloc(string.size() + 1));
    if (copy != nullptr) std::memcpy(copy, string.c_str(), string.size() + 1);
    return copy;
}

// Runs body, turning any C++ exception into a status and message naming the call.
template <typename Body>
CPopplerStatus guarded(char **error_message, const char *call, Body body) {
    return cshim::guarded<CPopplerStatus>(error_message, call, CPOPPLER_ERROR_MEMORY, CPOPPLER_ERROR_EXCEPTION,
                                          CPOPPLER_ERROR_EXCEPTION, body);
}

std::unique_ptr<poppler::page> load_page(const CPopplerDocument *document, int index, char **error_message) {
    if (index < 0 || index >= document->document->pages()) {
        set_message(error_message, "page " + std::to_string(index + 1) + " is out of range");
        return nullptr;
    }
    std::unique_ptr<poppler::page> page(document->document->create_page(index));
    if (!page) set_message(error_message, "the page could not be read");
    return page;
}

bool is_sideways(const poppler::page &page) {
    auto orientation = page.orientation();
    return orientation == poppler::page::landscape || orientation == poppler::page::seascape;
}

}  // namespace

extern "C" void cpoppler_set_log_handler(CPopplerLogHandler handler, void *context) {
    log_handler = handler;
    log_context = context;
    poppler::set_debug_error_function(forward_poppler_message, nullptr);
}

namespace {

// Takes a freshly loaded document (or none) and applies the password; shared by both openers.
// `encrypted_hint` tells a damaged file from a locked one when Poppler returns no document.
CPopplerStatus finish_open(std::unique_ptr<CPopplerDocument> handle, const char *password, bool encrypted_hint,
                           CPopplerDocument **out_document, char **error_message) {
    std::string pw = password ? password : "";
    if (!handle->document) {
        if (encrypted_hint) {
            set_message(error_message, password ? "the password does not open this PDF"
                                                : "the PDF is encrypted and needs a password");
            return CPOPPLER_ERROR_PASSWORD;
        }
        set_message(error_message, "Poppler could not read the PDF (damaged or not a PDF)");
        return CPOPPLER_ERROR_OPEN;
    }
    // unlock() answers whether the document is still locked.
    if (handle->document->is_locked() && handle->document->unlock(pw, pw)) {
        set_message(error_message, password ? "the password does not open this PDF"
                                            : "the PDF is encrypted and needs a password");
        return CPOPPLER_ERROR_PASSWORD;
    }
    *out_document = handle.release();
    return CPOPPLER_OK;
}

// Whether the bytes carry an encryption dictionary (only consulted when Poppler refused the file).
bool mentions_encryption(const char *data, size_t length) {
    static const char marker[] = "/Encrypt";
    return std::search(data, data + length, marker, marker + sizeof(marker) - 1) != data + length;
}

}  // namespace

extern "C" {

CPopplerStatus cpoppler_document_open(const char *data, size_t length, const char *password,
                                      CPopplerDocument **out_document, char **error_message) {
    *out_document = nullptr;
    return guarded(error_message, "open", [&]() -> CPopplerStatus {
        if (length > static_cast<size_t>(INT32_MAX)) {
            set_message(error_message, "the PDF is larger than 2 GiB");
            return CPOPPLER_ERROR_OPEN;
        }
        auto handle = std::make_unique<CPopplerDocument>();
        handle->bytes.assign(data, data + length);
        std::string pw = password ? password : "";
        handle->document.reset(poppler::document::load_from_raw_data(
            handle->bytes.data(), static_cast<int>(handle->bytes.size()), pw, pw));
        bool hint = !handle->document && mentions_encryption(handle->bytes.data(), handle->bytes.size());
        return finish_open(std::move(handle), password, hint, out_document, error_message);
    });
}

CPopplerStatus cpoppler_document_open_file(const char *path, const char *password,
                                           CPopplerDocument **out_document, char **error_message) {
    *out_document = nullptr;
    return guarded(error_message, "open", [&]() -> CPopplerStatus {
        auto handle = std::make_unique<CPopplerDocument>();
        std::string pw = password ? password : "";
        handle->document.reset(poppler::document::load_from_file(path, pw, pw));
        bool hint = false;
        if (!handle->document) {
            // Read the file only now, to tell a locked document from a damaged one.
            std::FILE *file = std::fopen(path, "rb");
            if (file != nullptr) {
                std::vector<char> bytes(1 << 20);
                size_t read;
                while (!hint && (read = std::fread(bytes.data(), 1, bytes.size(), file)) > 0) {
                    hint = mentions_encryption(bytes.data(), read);
                }
                std::fclose(file);
            }
        }
        return finish_open(std::move(handle), password, hint, out_document, error_message);
    });
}

void cpoppler_document_free(CPopplerDocument *document) {
    try {
        delete document;
    } catch (...) {
    }
}

int cpoppler_document_page_count(const CPopplerDocument *document) {
    try {
        std::lock_guard<std::mutex> guard(document->lock);
        return document->document->pages();
    } catch (...) {
        return 0;
    }
}

bool cpoppler_document_is_encrypted(const CPopplerDocument *document) {
    try {
        std::lock_guard<std::mutex> guard(document->lock);
        return document->document->is_encrypted();
    } catch (...) {
        return false;
    }
}

CPopplerStatus cpoppler_page_size(const CPopplerDocument *document, int index, double *width_points,
                                  double *height_points, char **error_message) {
    return guarded(error_message, "page size", [&]() -> CPopplerStatus {
        std::lock_guard<std::mutex> guard(document->lock);
        auto page = load_page(document, index, error_message);
        if (!page) return CPOPPLER_ERROR_PAGE;
        poppler::rectf rect = page->page_rect(poppler::crop_box);
        bool sideways = is_sideways(*page);
        *width_points = sideways ? rect.height() : rect.width();
        *height_points = sideways ? rect.width() : rect.height();
        return CPOPPLER_OK;
    });
}

CPopplerStatus cpoppler_page_render_gray(const CPopplerDocument *document, int index, double dpi,
                                         CPopplerBitmap *out_bitmap, char **error_message) {
    *out_bitmap = CPopplerBitmap{nullptr, 0, 0, 0};
    return guarded(error_message, "render", [&]() -> CPopplerStatus {
        std::lock_guard<std::mutex> guard(document->lock);
        auto page = load_page(document, index, error_message);
        if (!page) return CPOPPLER_ERROR_PAGE;
        poppler::page_renderer renderer;
        renderer.set_render_hint(poppler::page_renderer::antialiasing, true);
        renderer.set_render_hint(poppler::page_renderer::text_antialiasing, true);
        renderer.set_image_format(poppler::image::format_gray8);
        poppler::image image = renderer.render_page(page.get(), dpi, dpi);
        if (!image.is_valid() || image.width() <= 0 || image.height() <= 0) {
            set_message(error_message, "the page rendered to no image");
            return CPOPPLER_ERROR_RENDER;
        }
        const int stride = image.bytes_per_row();
        const size_t size = static_cast<size_t>(stride) * static_cast<size_t>(image.height());
        auto *pixels = static_cast<unsigned char *>(std::malloc(size));
        if (pixels == nullptr) {
            set_message(error_message, "render: out of memory");
            return CPOPPLER_ERROR_MEMORY;
        }
        std::memcpy(pixels, image.const_data(), size);
        *out_bitmap = CPopplerBitmap{pixels, image.width(), image.height(), stride};
        return CPOPPLER_OK;
    });
}

void cpoppler_bitmap_free(CPopplerBitmap *bitmap) {
    if (bitmap == nullptr) return;
    std::free(bitmap->data);
    bitmap->data = nullptr;
}

CPopplerStatus cpoppler_page_words(const CPopplerDocument *document, int index, CPopplerWordList *out_words,
                                   char **error_message) {
    *out_words = CPopplerWordList{nullptr, 0};
    return guarded(error_message, "text layer", [&]() -> CPopplerStatus {
        std::lock_guard<std::mutex> guard(document->lock);
        auto page = load_page(document, index, error_message);
        if (!page) return CPOPPLER_ERROR_PAGE;
        std::vector<poppler::text_box> boxes = page->text_list();
        if (boxes.empty()) return CPOPPLER_OK;
        auto *words = static_cast<CPopplerWord *>(std::calloc(boxes.size(), sizeof(CPopplerWord)));
        if (words == nullptr) {
            set_message(error_message, "text layer: out of memory");
            return CPOPPLER_ERROR_MEMORY;
        }
        for (size_t i = 0; i < boxes.size(); ++i) {
            poppler::byte_array utf8 = boxes[i].text().to_utf8();
            poppler::rectf box = boxes[i].bbox();
            words[i].text = copy_string(std::string(utf8.begin(), utf8.end()));
            words[i].x0 = box.left();
            words[i].y0 = box.top();
            words[i].x1 = box.right();
            words[i].y1 = box.bottom();
            words[i].space_after = boxes[i].has_space_after();
        }
        *out_words = CPopplerWordList{words, boxes.size()};
        return CPOPPLER_OK;
    });
}

void cpoppler_word_list_free(CPopplerWordList *words) {
    if (words == nullptr || words->words == nullptr) return;
    for (size_t i = 0; i < words->count; ++i) std::free(words->words[i].text);
    std::free(words->words);
    words->words = nullptr;
    words->count = 0;
}

void cpoppler_string_free(char *string) { std::free(string); }

const char *cpoppler_version(void) {
    static std::string version;
    static std::once_flag once;
    std::call_once(once, [] {
        try {
            version = poppler::version_string();
        } catch (...) {
            version = "unknown";
        }
    });
    return version.c_str();
}

}  // extern "C"
