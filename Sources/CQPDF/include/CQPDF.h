#ifndef CQPDF_H
#define CQPDF_H
// A C face over libqpdf (and Leptonica, for decoding page images): opaque handles, status codes and
// messages, no C++ types. Every function catches all exceptions. qpdf's warnings are suppressed (a
// damaged but readable input is repaired silently, as qpdf's library does when asked to).
//
// One CQPDFDocument is a PDF being written: either a new, empty one that pages of images are added
// to, or an existing PDF whose pages get a text layer laid over them. It is not thread-safe: one
// thread at a time.

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum {
    CQPDF_OK = 0,
    CQPDF_ERROR_OPEN = 1,        // not a PDF qpdf can read (damaged beyond repair, not a PDF)
    CQPDF_ERROR_PASSWORD = 2,    // encrypted, and the password given (or none) does not open it
    CQPDF_ERROR_IMAGE = 3,       // the page image could not be decoded or encoded
    CQPDF_ERROR_PAGE = 4,        // page index out of range, or a page qpdf cannot read
    CQPDF_ERROR_WRITE = 5,       // qpdf could not write the result
    CQPDF_ERROR_MEMORY = 6,      // an allocation failed
    CQPDF_ERROR_EXCEPTION = 7,   // another C++ exception was caught; see the message
} CQPDFStatus;

/// How a page image was stored.
typedef enum {
    CQPDF_IMAGE_DCT = 0,     // the JPEG file's own bytes, DCTDecode
    CQPDF_IMAGE_FLATE = 1,   // lossless, Flate with PNG predictors (gray or RGB, 8 bits)
    CQPDF_IMAGE_G4 = 2,      // 1 bit a pixel, CCITT group 4
} CQPDFImageEncoding;

/// What was embedded for a page image.
typedef struct {
    int width;               // pixels
    int height;              // pixels
    int bits_per_component;
    int components;          // 1 gray, 3 RGB
    CQPDFImageEncoding encoding;
} CQPDFImageInfo;

/// A page's crop box in its own user space (normalised so x0 < x1, y0 < y1) and its /Rotate,
/// normalised to 0, 90, 180 or 270.
typedef struct {
    double x0, y0, x1, y1;
    int rotate;
} CQPDFPageBox;

typedef struct CQPDFDocument CQPDFDocument;

/// A new PDF with no pages. `font` is a TrueType font (Tesseract's glyphless pdf.ttf) embedded once
/// for every text layer; its bytes are copied.
CQPDFStatus cqpdf_document_create(const unsigned char *font, size_t font_length,
                                  CQPDFDocument **out_document, char **error_message);

/// An existing PDF from memory (the bytes are copied). `password` may be NULL (tries the empty one).
CQPDFStatus cqpdf_document_open(const char *data, size_t length, const char *password,
                                const unsigned char *font, size_t font_length,
                                CQPDFDocument **out_document, char **error_message);

void cqpdf_document_free(CQPDFDocument *document);

int cqpdf_document_page_count(const CQPDFDocument *document);

/// The crop box and rotation of page `index` (0-based), inherited values included.
CQPDFStatus cqpdf_page_box(const CQPDFDocument *document, int index, CQPDFPageBox *out_box,
                           char **error_message);

/// Appends a page of `width_points` × `height_points` filled with an image decoded from `image`
/// (the bytes of a PNG, JPEG, WEBP, GIF, BMP or TIFF file; `tiff_page` picks a TIFF's page, -1 for
/// other formats), turned clockwise by `rotation` degrees (a multiple of 90) first. A JPEG that
/// needs no turning is embedded as it is; anything else losslessly, 1-bit images as CCITT G4.
CQPDFStatus cqpdf_document_add_image_page(CQPDFDocument *document, const unsigned char *image,
                                          size_t length, int tiff_page, int rotation,
                                          double width_points, double height_points,
                                          CQPDFImageInfo *out_info, char **error_message);

/// Codes of the text layers' font outside the UTF-16 text range: code `codes[i]` (from D800–DFFF,
/// which UTF-16 never uses alone) stands for the character `scalars[i]` beyond the BMP, so that it
/// takes one code instead of a surrogate pair that extractors would split. Call before the first
/// cqpdf_page_add_text_layer; `count` at most 2048.
CQPDFStatus cqpdf_document_set_wide_characters(CQPDFDocument *document, const unsigned short *codes,
                                               const unsigned int *scalars, size_t count, char **error_message);

/// Lays a text layer over page `index`: `content` is a content stream drawn in a space of
/// `width` × `height` (the font is the resource /F1, the glyphless font), mapped into the page's
/// user space by `matrix` (a b c d e f). It becomes a Form XObject drawn after the page's own
/// content, which is wrapped in q/Q so that no state it leaves behind can move the layer; the
/// page's resources are copied before the form is added, so pages that share them stay untouched.
CQPDFStatus cqpdf_page_add_text_layer(CQPDFDocument *document, int index, const char *content,
                                      size_t length, double width, double height,
                                      const double matrix[6], char **error_message);

/// What page `index` shows as text: the bytes of the strings its text operators draw visibly and
/// those drawn in render mode 3 (invisible: an earlier OCR's layer), in the page's content and in the
/// Form XObjects it draws.
CQPDFStatus cqpdf_page_text_counts(CQPDFDocument *document, int index, long long *out_visible,
                                   long long *out_invisible, char **error_message);

/// Removes the invisible text (render mode 3) from page `index` and the Form XObjects it draws:
/// each text object (BT … ET) that draws nothing but invisible text is dropped, the text state it
/// set kept. Visible text and everything else stay as they are. `out_removed` (may be NULL) gets the
/// number of text objects removed, counted now; they leave when the document is written.
CQPDFStatus cqpdf_page_remove_invisible_text(CQPDFDocument *document, int index, int *out_removed,
                                             char **error_message);

/// Sets the document's natural language (the catalog's /Lang, a BCP 47 tag such as `fr`), which
/// screen readers and PDF/UA use; a /Lang the source PDF already has is kept.
CQPDFStatus cqpdf_document_set_language(CQPDFDocument *document, const char *tag, char **error_message);

/// Writes the PDF (object streams, new streams compressed, existing streams kept as they are,
/// a deterministic /ID unless the input was encrypted, whose encryption is kept).
/// Free the bytes with cqpdf_buffer_free.
CQPDFStatus cqpdf_document_write(CQPDFDocument *document, unsigned char **out_data, size_t *out_length,
                                 char **error_message);

void cqpdf_buffer_free(unsigned char *data);
void cqpdf_string_free(char *string);

/// qpdf's version, e.g. "11.3.0" (a static string).
const char *cqpdf_version(void);

#ifdef __cplusplus
}
#endif

#endif
