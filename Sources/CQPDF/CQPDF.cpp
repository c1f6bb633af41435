#include "CQPDF.h"
#include "CShimSupport.h"

#include <qpdf/Buffer.hh>
#include <qpdf/QPDF.hh>
#include <qpdf/QPDFExc.hh>
#include <qpdf/QPDFObjectHandle.hh>
#include <qpdf/QPDFPageDocumentHelper.hh>
#include <qpdf/QPDFPageObjectHelper.hh>
#include <qpdf/QPDFWriter.hh>
#include <qpdf/Pl_String.hh>
#include <qpdf/QUtil.hh>

#include <leptonica/allheaders.h>

#include <algorithm>
#include <cstdio>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <functional>
#include <memory>
#include <new>
#include <string>
#include <utility>
#include <vector>

struct CQPDFDocument {
    std::string source;  // qpdf reads an opened PDF from these bytes for the document's whole life
    std::string font;    // the glyphless TrueType font
    QPDF pdf;
    std::vector<QPDFPageObjectHelper> pages;
    QPDFObjectHandle type0_font;  // made on first use, shared by every text layer
    std::vector<std::pair<unsigned short, unsigned int>> wide_characters;  // code → scalar beyond the BMP
    bool encrypted = false;
};

namespace {

using cshim::set_message;

// Runs body, turning any C++ exception into a status and message naming the call.
// qpdf's own exceptions (QPDFExc) say more, and tell a wrong password from a damaged file.
template <typename Body>
CQPDFStatus guarded(char **error_message, const char *call, CQPDFStatus failure, Body body) {
    return cshim::guarded<CQPDFStatus>(error_message, call, CQPDF_ERROR_MEMORY, failure, CQPDF_ERROR_EXCEPTION,
                                       [&]() -> CQPDFStatus {
        try {
            return body();
        } catch (const QPDFExc &error) {
            set_message(error_message, std::string(call) + ": " + error.getMessageDetail());
            return error.getErrorCode() == qpdf_e_password ? CQPDF_ERROR_PASSWORD : failure;
        }
    });
}

// A Leptonica image, destroyed when the holder goes.
struct PixHolder {
    PIX *pix = nullptr;
    explicit PixHolder(PIX *pix) : pix(pix) {}
    ~PixHolder() { if (pix != nullptr) pixDestroy(&pix); }
    PixHolder(const PixHolder &) = delete;
    PixHolder &operator=(const PixHolder &) = delete;
    // Takes `next` in place of the current image (which is freed); false when `next` is null.
    bool replace(PIX *next) {
        if (next == nullptr) return false;
        if (next != pix) pixDestroy(&pix);
        pix = next;
        return true;
    }
};

struct CompressedHolder {
    L_COMP_DATA *data = nullptr;
    ~CompressedHolder() { if (data != nullptr) l_CIDataDestroy(&data); }
};

QPDFObjectHandle name(const char *value) { return QPDFObjectHandle::newName(value); }

QPDFObjectHandle rectangle(double x0, double y0, double x1, double y1) {
    return QPDFObjectHandle::newArray(QPDFObjectHandle::Rectangle(x0, y0, x1, y1));
}

// The objects of Tesseract's GlyphLessFont technique: a Type0 font over a CIDFontType2 whose
// CIDToGIDMap sends every CID to glyph 1 (an invisible glyph; Acrobat refuses glyph 0), with the
// Identity-H encoding, so a text string is its UTF-16 code units, and a ToUnicode CMap that maps
// each code back to itself, so extraction and copy-paste give the text.
QPDFObjectHandle make_glyphless_font(CQPDFDocument &document) {
    QPDF &pdf = document.pdf;
    QPDFObjectHandle font_file = pdf.newStream(document.font);
    font_file.getDict().replaceKey("/Length1", QPDFObjectHandle::newInteger(static_cast<long long>(document.font.size())));

    QPDFObjectHandle descriptor = QPDFObjectHandle::newDictionary();
    descriptor.replaceKey("/Type", name("/FontDescriptor"));
    descriptor.replaceKey("/FontName", name("/GlyphLessFont"));
    descriptor.replaceKey("/Flags", QPDFObjectHandle::newInteger(5));  // fixed pitch, symbolic
    descriptor.replaceKey("/FontBBox", rectangle(0, 0, 500, 1000));
    descriptor.replaceKey("/ItalicAngle", QPDFObjectHandle::newInteger(0));
    // Ascent 1000, descent almost 0: a word's box in a text extractor spans font size above the
    // baseline, which is how the writer sizes words to their boxes.
    descriptor.replaceKey("/Ascent", QPDFObjectHandle::newInteger(1000));
    descriptor.replaceKey("/Descent", QPDFObjectHandle::newInteger(-1));
    descriptor.replaceKey("/CapHeight", QPDFObjectHandle::newInteger(1000));
    descriptor.replaceKey("/StemV", QPDFObjectHandle::newInteger(80));
    descriptor.replaceKey("/FontFile2", font_file);

    std::string cid_to_gid(2 * 65536, '\0');
    for (size_t i = 1; i < cid_to_gid.size(); i += 2) cid_to_gid[i] = 1;
    QPDFObjectHandle cid_to_gid_map = pdf.newStream(cid_to_gid);

    QPDFObjectHandle system_info = QPDFObjectHandle::newDictionary();
    system_info.replaceKey("/Registry", QPDFObjectHandle::newString("Adobe"));
    system_info.replaceKey("/Ordering", QPDFObjectHandle::newString("Identity"));
    system_info.replaceKey("/Supplement", QPDFObjectHandle::newInteger(0));

    QPDFObjectHandle cid_font = QPDFObjectHandle::newDictionary();
    cid_font.replaceKey("/Type", name("/Font"));
    cid_font.replaceKey("/Subtype", name("/CIDFontType2"));
    cid_font.replaceKey("/BaseFont", name("/GlyphLessFont"));
    cid_font.replaceKey("/CIDSystemInfo", system_info);
    cid_font.replaceKey("/FontDescriptor", pdf.makeIndirectObject(descriptor));
    cid_font.replaceKey("/CIDToGIDMap", cid_to_gid_map);
    cid_font.replaceKey("/DW", QPDFObjectHandle::newInteger(500));  // every glyph half an em wide

    // Each code maps to the same UTF-16 unit. A bfrange may only vary in its last byte, hence one
    // range per high byte, at most 100 to a block. The surrogate codes D800–DFFF instead stand for
    // the characters beyond the BMP that the text uses, one code each.
    std::string cmap =
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
    std::vector<std::string> ranges;
    for (int high = 0; high < 256; ++high) {
        if (high >= 0xD8 && high <= 0xDF) continue;
        char line[32];
        std::snprintf(line, sizeof(line), "<%02X00> <%02XFF> <%02X00>\n", high, high, high);
        ranges.push_back(line);
    }
    for (size_t first = 0; first < ranges.size(); first += 100) {
        size_t count = std::min<size_t>(100, ranges.size() - first);
        cmap += std::to_string(count) + " beginbfrange\n";
        for (size_t i = first; i < first + count; ++i) cmap += ranges[i];
        cmap += "endbfrange\n";
    }
    const auto &wide = document.wide_characters;
    for (size_t first = 0; first < wide.size(); first += 100) {
        size_t count = std::min<size_t>(100, wide.size() - first);
        cmap += std::to_string(count) + " beginbfchar\n";
        for (size_t i = first; i < first + count; ++i) {
            unsigned int offset = wide[i].second - 0x10000;
            char line[40];
            std::snprintf(line, sizeof(line), "<%04X> <%04X%04X>\n", wide[i].first,
                          0xD800 + (offset >> 10), 0xDC00 + (offset & 0x3FF));
            cmap += line;
        }
        cmap += "endbfchar\n";
    }
    cmap += "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";

    QPDFObjectHandle type0 = QPDFObjectHandle::newDictionary();
    type0.replaceKey("/Type", name("/Font"));
    type0.replaceKey("/Subtype", name("/Type0"));
    type0.replaceKey("/BaseFont", name("/GlyphLessFont"));
    type0.replaceKey("/Encoding", name("/Identity-H"));
    type0.replaceKey("/DescendantFonts", QPDFObjectHandle::newArray(std::vector<QPDFObjectHandle>{pdf.makeIndirectObject(cid_font)}));
    type0.replaceKey("/ToUnicode", pdf.newStream(cmap));
    return pdf.makeIndirectObject(type0);
}

bool is_jpeg(const unsigned char *data, size_t length) {
    return length > 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF;
}

bool is_all_gray(PIX *pix) {
    int width = pixGetWidth(pix), height = pixGetHeight(pix), words_per_line = pixGetWpl(pix);
    const l_uint32 *data = pixGetData(pix);
    for (int y = 0; y < height; ++y) {
        const l_uint32 *line = data + static_cast<size_t>(y) * words_per_line;
        for (int x = 0; x < width; ++x) {
            l_int32 red, green, blue;
            extractRGBValues(line[x], &red, &green, &blue);
            if (red != green || green != blue) return false;
        }
    }
    return true;
}

// Decodes the page image and brings it to what a PDF image holds without loss: 1-bit, 8-bit gray
// or 8-bit RGB; palettes expanded, transparency flattened onto white (as the engine read it).
PIX *decode_for_pdf(const unsigned char *image, size_t length, int tiff_page, int rotation, std::string &problem) {
    PixHolder pix(tiff_page >= 0 ? pixReadMemTiff(image, length, tiff_page) : pixReadMem(image, length));
    if (pix.pix == nullptr) {
        problem = "Leptonica could not decode the page image";
        return nullptr;
    }
    if (pixGetColormap(pix.pix) != nullptr && !pix.replace(pixRemoveColormap(pix.pix, REMOVE_CMAP_BASED_ON_SRC))) {
        problem = "pixRemoveColormap failed";
        return nullptr;
    }
    int depth = pixGetDepth(pix.pix);
    bool ok = true;
    if (depth == 32 && pixGetSpp(pix.pix) == 4) {
        ok = pix.replace(pixAlphaBlendUniform(pix.pix, 0xffffff00));
    } else if (depth == 16) {
        ok = pix.replace(pixConvert16To8(pix.pix, L_MS_BYTE));
    } else if (depth == 24) {
        ok = pix.replace(pixConvert24To32(pix.pix));
    } else if (depth != 1 && depth != 8 && depth != 32) {
        ok = pix.replace(pixConvertTo8(pix.pix, 0));
    }
    if (!ok) {
        problem = "could not convert a " + std::to_string(depth) + "-bit image";
        return nullptr;
    }
    // A colour image whose pixels are all gray (WEBP and JPEG decoders hand out RGB) is stored as
    // gray: the red channel is the exact image, a third the size.
    if (pixGetDepth(pix.pix) == 32 && is_all_gray(pix.pix) && !pix.replace(pixGetRGBComponent(pix.pix, COLOR_RED))) {
        problem = "pixGetRGBComponent failed";
        return nullptr;
    }
    int quads = ((rotation / 90) % 4 + 4) % 4;
    if (quads != 0 && !pix.replace(pixRotateOrth(pix.pix, quads))) {
        problem = "pixRotateOrth failed";
        return nullptr;
    }
    PIX *result = pix.pix;
    pix.pix = nullptr;
    return result;
}


// Follows a content stream's text render mode through q/Q and its text objects (BT … ET), and
// counts the bytes its text operators draw visibly and invisibly (render mode 3, what OCR layers
// use). When `removing`, it also writes the stream on without the text objects that draw nothing
// but invisible text; of such an object only its text state operators are kept (they are legal
// outside a text object and later text may rely on them).
class InvisibleTextFilter : public QPDFObjectHandle::TokenFilter {
  public:
    explicit InvisibleTextFilter(bool removing) : removing(removing) {}

    long long visible = 0;
    long long invisible = 0;
    int invisible_objects = 0;  // text objects that draw only invisible text
    std::vector<std::string> drawn;  // the XObjects drawn (`/Name Do`), in order

    void handleToken(QPDFTokenizer::Token const &token) override {
        const std::string &raw = token.getRawValue();
        switch (token.getType()) {
        case QPDFTokenizer::tt_space:
        case QPDFTokenizer::tt_comment:
            emit(raw);
            return;
        case QPDFTokenizer::tt_word:
            handleOperator(token.getValue(), raw);
            return;
        case QPDFTokenizer::tt_string:
            strings += token.getValue().size();
            last_string = token.getValue().size();
            break;
        case QPDFTokenizer::tt_integer:
        case QPDFTokenizer::tt_real:
            last_number = std::atof(token.getValue().c_str());
            break;
        case QPDFTokenizer::tt_name:
            last_name = token.getValue();
            break;
        default:
            break;
        }
        operands += raw;
        operands += ' ';
        emit(raw);
    }

    void handleEOF() override {
        // A text object the stream never closed is passed on as it was.
        if (removing && !held.empty()) write(held);
        held.clear();
    }

  private:
    bool removing;
    int mode = 0;
    std::vector<int> saved;
    std::string operands;        // the raw operands since the last operator
    size_t strings = 0;          // bytes of the strings among them (TJ's array included)
    size_t last_string = 0;
    double last_number = 0;
    std::string last_name;
    bool in_text = false;
    std::string held;            // the current text object, while removing
    std::string text_state;      // its text state operators
    long long object_visible = 0, object_invisible = 0;

    void emit(const std::string &raw) {
        if (!removing) return;
        if (in_text) held += raw; else write(raw);
    }

    void shown(size_t bytes) {
        if (mode == 3) {
            invisible += static_cast<long long>(bytes);
            object_invisible += static_cast<long long>(bytes);
        } else {
            visible += static_cast<long long>(bytes);
            object_visible += static_cast<long long>(bytes);
        }
    }

    void handleOperator(const std::string &op, const std::string &raw) {
        if (op == "BT") {
            in_text = true;
            object_visible = object_invisible = 0;
            text_state.clear();
            held.clear();
            emit(raw);
        } else if (op == "ET") {
            emit(raw);
            in_text = false;
            bool only_invisible = object_invisible > 0 && object_visible == 0;
            if (only_invisible) ++invisible_objects;
            if (removing) write(only_invisible ? text_state : held);
            held.clear();
        } else {
            if (op == "q") {
                saved.push_back(mode);
            } else if (op == "Q") {
                if (!saved.empty()) { mode = saved.back(); saved.pop_back(); }
            } else if (op == "Tr") {
                mode = static_cast<int>(last_number);
            } else if (op == "Tj" || op == "'" || op == "\"") {
                shown(last_string);
            } else if (op == "TJ") {
                shown(strings);
            } else if (op == "Do" && !last_name.empty()) {
                drawn.push_back(last_name);
            }
            if (in_text && (op == "Tc" || op == "Tw" || op == "Tz" || op == "TL" || op == "Tf" || op == "Tr" || op == "Ts")) {
                text_state += operands + op + "\n";
            }
            emit(raw);
        }
        operands.clear();
        strings = 0;
        last_string = 0;
        last_name.clear();
    }
};

// The content of a page or Form XObject (`owner`) and the Form XObjects it draws, nested ones too,
// each once: what `visit` is called on, with its content helper. Forms named in the resources but
// never drawn are left out (pages often share one resource dictionary). A form without /Resources
// looks its names up in its caller's.
void each_drawn_content(QPDFObjectHandle owner, QPDFObjectHandle resources, int depth, std::vector<QPDFObjGen> &seen,
                        const std::function<void(QPDFPageObjectHelper &, InvisibleTextFilter &)> &visit) {
    QPDFPageObjectHelper contents(owner);
    InvisibleTextFilter counter(false);
    contents.filterContents(&counter);
    visit(contents, counter);
    if (depth >= 12 || !resources.isDictionary()) return;
    QPDFObjectHandle xobjects = resources.getKey("/XObject");
    if (!xobjects.isDictionary()) return;
    for (const std::string &key : counter.drawn) {
        QPDFObjectHandle form = xobjects.getKey(key);
        if (!form.isStream() || !form.getDict().getKey("/Subtype").isNameAndEquals("/Form")) continue;
        QPDFObjGen id = form.getObjGen();
        if (std::find(seen.begin(), seen.end(), id) != seen.end()) continue;
        seen.push_back(id);
        QPDFObjectHandle own = form.getDict().getKey("/Resources");
        each_drawn_content(form, own.isDictionary() ? own : resources, depth + 1, seen, visit);
    }
}

void each_drawn_content(QPDFPageObjectHelper &page,
                        const std::function<void(QPDFPageObjectHelper &, InvisibleTextFilter &)> &visit) {
    std::vector<QPDFObjGen> seen;
    each_drawn_content(page.getObjectHandle(), page.getAttribute("/Resources", false), 0, seen, visit);
}

bool valid_page(const CQPDFDocument *document, int index, char **error_message) {
    if (index >= 0 && index < static_cast<int>(document->pages.size())) return true;
    set_message(error_message, "page " + std::to_string(index + 1) + " is out of range");
    return false;
}

}  // namespace

extern "C" {

CQPDFStatus cqpdf_document_create(const unsigned char *font, size_t font_length,
                                  CQPDFDocument **out_document, char **error_message) {
    *out_document = nullptr;
    return guarded(error_message, "create", CQPDF_ERROR_EXCEPTION, [&]() -> CQPDFStatus {
        auto handle = std::make_unique<CQPDFDocument>();
        handle->font.assign(reinterpret_cast<const char *>(font), font_length);
        handle->pdf.setSuppressWarnings(true);
        handle->pdf.emptyPDF();
        *out_document = handle.release();
        return CQPDF_OK;
    });
}

CQPDFStatus cqpdf_document_open(const char *data, size_t length, const char *password,
                                const unsigned char *font, size_t font_length,
                                CQPDFDocument **out_document, char **error_message) {
    *out_document = nullptr;
    return guarded(error_message, "open", CQPDF_ERROR_OPEN, [&]() -> CQPDFStatus {
        auto handle = std::make_unique<CQPDFDocument>();
        handle->source.assign(data, length);
        if (font != nullptr) handle->font.assign(reinterpret_cast<const char *>(font), font_length);
        handle->pdf.setSuppressWarnings(true);
        handle->pdf.processMemoryFile("input PDF", handle->source.data(), handle->source.size(), password);
        handle->encrypted = handle->pdf.isEncrypted();
        // Inherited /Resources, /MediaBox, /CropBox and /Rotate are copied onto the pages, so that
        // changing one page's resources never reaches another page through the pages tree.
        QPDFPageDocumentHelper helper(handle->pdf);
        helper.pushInheritedAttributesToPage();
        handle->pages = helper.getAllPages();
        *out_document = handle.release();
        return CQPDF_OK;
    });
}

void cqpdf_document_free(CQPDFDocument *document) { delete document; }

int cqpdf_document_page_count(const CQPDFDocument *document) { return static_cast<int>(document->pages.size()); }

CQPDFStatus cqpdf_page_box(const CQPDFDocument *document, int index, CQPDFPageBox *out_box, char **error_message) {
    return guarded(error_message, "page box", CQPDF_ERROR_PAGE, [&]() -> CQPDFStatus {
        if (index < 0 || index >= static_cast<int>(document->pages.size())) {
            set_message(error_message, "page " + std::to_string(index + 1) + " is out of range");
            return CQPDF_ERROR_PAGE;
        }
        QPDFPageObjectHelper page = document->pages[index];
        QPDFObjectHandle box = page.getCropBox();
        if (!box.isRectangle()) box = page.getMediaBox();
        if (!box.isRectangle()) {
            set_message(error_message, "page " + std::to_string(index + 1) + " has no usable /MediaBox");
            return CQPDF_ERROR_PAGE;
        }
        QPDFObjectHandle::Rectangle rect = box.getArrayAsRectangle();
        out_box->x0 = std::min(rect.llx, rect.urx);
        out_box->y0 = std::min(rect.lly, rect.ury);
        out_box->x1 = std::max(rect.llx, rect.urx);
        out_box->y1 = std::max(rect.lly, rect.ury);
        QPDFObjectHandle rotate = page.getAttribute("/Rotate", false);
        long long degrees = rotate.isInteger() ? rotate.getIntValue() : 0;
        out_box->rotate = static_cast<int>(((degrees / 90) % 4 + 4) % 4) * 90;
        return CQPDF_OK;
    });
}

CQPDFStatus cqpdf_document_add_image_page(CQPDFDocument *document, const unsigned char *image,
                                          size_t length, int tiff_page, int rotation,
                                          double width_points, double height_points,
                                          CQPDFImageInfo *out_info, char **error_message) {
    return guarded(error_message, "add image page", CQPDF_ERROR_IMAGE, [&]() -> CQPDFStatus {
        QPDF &pdf = document->pdf;
        QPDFObjectHandle stream = pdf.newStream();
        QPDFObjectHandle dict = stream.getDict();
        CQPDFImageInfo info{};
        int jpeg_width = 0, jpeg_height = 0, jpeg_components = 0;
        bool as_is = tiff_page < 0 && rotation % 360 == 0 && is_jpeg(image, length) &&
                     readHeaderMemJpeg(image, length, &jpeg_width, &jpeg_height, &jpeg_components, nullptr, nullptr) == 0 &&
                     (jpeg_components == 1 || jpeg_components == 3);
        if (as_is) {
            // The JPEG's own bytes: re-encoding would lose quality, decoding and flating would bloat.
            stream.replaceStreamData(std::string(reinterpret_cast<const char *>(image), length),
                                     name("/DCTDecode"), QPDFObjectHandle::newNull());
            info = CQPDFImageInfo{jpeg_width, jpeg_height, 8, jpeg_components, CQPDF_IMAGE_DCT};
        } else {
            std::string problem;
            PixHolder pix(decode_for_pdf(image, length, tiff_page, rotation, problem));
            if (pix.pix == nullptr) {
                set_message(error_message, problem);
                return CQPDF_ERROR_IMAGE;
            }
            bool bilevel = pixGetDepth(pix.pix) == 1;
            CompressedHolder compressed;
            if (pixGenerateCIData(pix.pix, bilevel ? L_G4_ENCODE : L_FLATE_ENCODE, 0, 0, &compressed.data) != 0 ||
                compressed.data == nullptr || compressed.data->ncolors > 0) {
                set_message(error_message, "Leptonica could not encode the page image");
                return CQPDF_ERROR_IMAGE;
            }
            L_COMP_DATA &data = *compressed.data;
            QPDFObjectHandle parameters = QPDFObjectHandle::newDictionary();
            if (bilevel) {
                parameters.replaceKey("/K", QPDFObjectHandle::newInteger(-1));
                parameters.replaceKey("/Columns", QPDFObjectHandle::newInteger(data.w));
                parameters.replaceKey("/Rows", QPDFObjectHandle::newInteger(data.h));
                if (data.minisblack) parameters.replaceKey("/BlackIs1", QPDFObjectHandle::newBool(true));
            } else if (data.predictor) {
                parameters.replaceKey("/Predictor", QPDFObjectHandle::newInteger(14));
                parameters.replaceKey("/Colors", QPDFObjectHandle::newInteger(data.spp));
                parameters.replaceKey("/BitsPerComponent", QPDFObjectHandle::newInteger(data.bps));
                parameters.replaceKey("/Columns", QPDFObjectHandle::newInteger(data.w));
            }
            stream.replaceStreamData(std::string(reinterpret_cast<const char *>(data.datacomp), data.nbytescomp),
                                     name(bilevel ? "/CCITTFaxDecode" : "/FlateDecode"),
                                     parameters.getKeys().empty() ? QPDFObjectHandle::newNull() : parameters);
            info = CQPDFImageInfo{data.w, data.h, data.bps, data.spp, bilevel ? CQPDF_IMAGE_G4 : CQPDF_IMAGE_FLATE};
        }
        dict.replaceKey("/Type", name("/XObject"));
        dict.replaceKey("/Subtype", name("/Image"));
        dict.replaceKey("/Width", QPDFObjectHandle::newInteger(info.width));
        dict.replaceKey("/Height", QPDFObjectHandle::newInteger(info.height));
        dict.replaceKey("/BitsPerComponent", QPDFObjectHandle::newInteger(info.bits_per_component));
        dict.replaceKey("/ColorSpace", name(info.components == 3 ? "/DeviceRGB" : "/DeviceGray"));

        QPDFObjectHandle xobjects = QPDFObjectHandle::newDictionary();
        xobjects.replaceKey("/Im0", stream);
        QPDFObjectHandle resources = QPDFObjectHandle::newDictionary();
        resources.replaceKey("/XObject", xobjects);
        std::string content = "q " + QUtil::double_to_string(width_points, 4) + " 0 0 " +
                              QUtil::double_to_string(height_points, 4) + " 0 0 cm /Im0 Do Q\n";
        QPDFObjectHandle page = QPDFObjectHandle::newDictionary();
        page.replaceKey("/Type", name("/Page"));
        page.replaceKey("/MediaBox", rectangle(0, 0, width_points, height_points));
        page.replaceKey("/Resources", resources);
        page.replaceKey("/Contents", pdf.newStream(content));
        QPDFPageDocumentHelper(pdf).addPage(QPDFPageObjectHelper(pdf.makeIndirectObject(page)), false);
        document->pages = QPDFPageDocumentHelper(pdf).getAllPages();
        if (out_info != nullptr) *out_info = info;
        return CQPDF_OK;
    });
}

CQPDFStatus cqpdf_document_set_wide_characters(CQPDFDocument *document, const unsigned short *codes,
                                               const unsigned int *scalars, size_t count, char **error_message) {
    return guarded(error_message, "set wide characters", CQPDF_ERROR_EXCEPTION, [&]() -> CQPDFStatus {
        if (document->type0_font.isInitialized() || count > 2048) {
            set_message(error_message, "wide characters must be set once, before any text layer, at most 2048");
            return CQPDF_ERROR_EXCEPTION;
        }
        for (size_t i = 0; i < count; ++i) {
            if (codes[i] < 0xD800 || codes[i] > 0xDFFF || scalars[i] < 0x10000 || scalars[i] > 0x10FFFF) {
                set_message(error_message, "a wide character needs a code in D800-DFFF and a scalar beyond the BMP");
                return CQPDF_ERROR_EXCEPTION;
            }
            document->wide_characters.emplace_back(codes[i], scalars[i]);
        }
        return CQPDF_OK;
    });
}

CQPDFStatus cqpdf_document_set_language(CQPDFDocument *document, const char *tag, char **error_message) {
    return guarded(error_message, "set language", CQPDF_ERROR_EXCEPTION, [&]() -> CQPDFStatus {
        QPDFObjectHandle root = document->pdf.getRoot();
        if (tag != nullptr && *tag != '\0' && !root.hasKey("/Lang")) {
            root.replaceKey("/Lang", QPDFObjectHandle::newUnicodeString(tag));
        }
        return CQPDF_OK;
    });
}

CQPDFStatus cqpdf_page_add_text_layer(CQPDFDocument *document, int index, const char *content,
                                      size_t length, double width, double height,
                                      const double matrix[6], char **error_message) {
    return guarded(error_message, "add text layer", CQPDF_ERROR_PAGE, [&]() -> CQPDFStatus {
        if (index < 0 || index >= static_cast<int>(document->pages.size())) {
            set_message(error_message, "page " + std::to_string(index + 1) + " is out of range");
            return CQPDF_ERROR_PAGE;
        }
        QPDF &pdf = document->pdf;
        if (!document->type0_font.isInitialized()) document->type0_font = make_glyphless_font(*document);

        QPDFObjectHandle fonts = QPDFObjectHandle::newDictionary();
        fonts.replaceKey("/F1", document->type0_font);
        QPDFObjectHandle form_resources = QPDFObjectHandle::newDictionary();
        form_resources.replaceKey("/Font", fonts);
        QPDFObjectHandle form = pdf.newStream(std::string(content, length));
        QPDFObjectHandle form_dict = form.getDict();
        form_dict.replaceKey("/Type", name("/XObject"));
        form_dict.replaceKey("/Subtype", name("/Form"));
        form_dict.replaceKey("/BBox", rectangle(0, 0, width, height));
        form_dict.replaceKey("/Matrix", QPDFObjectHandle::newArray(QPDFObjectHandle::Matrix(
            matrix[0], matrix[1], matrix[2], matrix[3], matrix[4], matrix[5])));
        form_dict.replaceKey("/Resources", form_resources);

        QPDFPageObjectHelper &page = document->pages[index];
        // Copies of the page's resources and of their /XObject dictionary: either may be shared
        // with pages that pass through unchanged.
        QPDFObjectHandle resources = page.getAttribute("/Resources", true);
        if (!resources.isDictionary()) {
            resources = QPDFObjectHandle::newDictionary();
            page.getObjectHandle().replaceKey("/Resources", resources);
        }
        QPDFObjectHandle xobjects = resources.getKey("/XObject");
        xobjects = xobjects.isDictionary() ? xobjects.shallowCopy() : QPDFObjectHandle::newDictionary();
        resources.replaceKey("/XObject", xobjects);
        int suffix = 1;
        std::string form_name = resources.getUniqueResourceName("/OCRText", suffix);
        xobjects.replaceKey(form_name, form);

        page.addPageContents(pdf.newStream(std::string("q\n")), true);
        page.addPageContents(pdf.newStream("\nQ\nq " + form_name + " Do Q\n"), false);
        return CQPDF_OK;
    });
}

CQPDFStatus cqpdf_page_text_counts(CQPDFDocument *document, int index, long long *out_visible,
                                   long long *out_invisible, char **error_message) {
    *out_visible = 0;
    *out_invisible = 0;
    return guarded(error_message, "text counts", CQPDF_ERROR_PAGE, [&]() -> CQPDFStatus {
        if (!valid_page(document, index, error_message)) return CQPDF_ERROR_PAGE;
        long long visible = 0, invisible = 0;
        each_drawn_content(document->pages[index], [&](QPDFPageObjectHelper &, InvisibleTextFilter &counter) {
            visible += counter.visible;
            invisible += counter.invisible;
        });
        *out_visible = visible;
        *out_invisible = invisible;
        return CQPDF_OK;
    });
}

CQPDFStatus cqpdf_page_remove_invisible_text(CQPDFDocument *document, int index, int *out_removed,
                                             char **error_message) {
    if (out_removed != nullptr) *out_removed = 0;
    return guarded(error_message, "remove invisible text", CQPDF_ERROR_PAGE, [&]() -> CQPDFStatus {
        if (!valid_page(document, index, error_message)) return CQPDF_ERROR_PAGE;
        QPDFPageObjectHelper &page = document->pages[index];
        QPDFObjectHandle page_object = page.getObjectHandle();
        // Found first, replaced after: the filtered content replaces the old at once (rather than a
        // filter attached for the writer, which copies already compressed streams as they are).
        std::vector<std::pair<QPDFObjectHandle, int>> changed;
        each_drawn_content(page, [&](QPDFPageObjectHelper &contents, InvisibleTextFilter &counter) {
            if (counter.invisible_objects > 0) changed.emplace_back(contents.getObjectHandle(), counter.invisible_objects);
        });
        int removed = 0;
        for (auto &[owner, objects] : changed) {
            InvisibleTextFilter remover(true);
            std::string result;
            Pl_String sink("without invisible text", nullptr, result);
            QPDFPageObjectHelper(owner).filterContents(&remover, &sink);
            if (owner.isStream()) {
                owner.replaceStreamData(result, QPDFObjectHandle::newNull(), QPDFObjectHandle::newNull());
            } else {
                page_object.replaceKey("/Contents", document->pdf.newStream(result));
            }
            removed += objects;
        }
        if (out_removed != nullptr) *out_removed = removed;
        return CQPDF_OK;
    });
}

CQPDFStatus cqpdf_document_write(CQPDFDocument *document, unsigned char **out_data, size_t *out_length,
                                 char **error_message) {
    *out_data = nullptr;
    *out_length = 0;
    return guarded(error_message, "write", CQPDF_ERROR_WRITE, [&]() -> CQPDFStatus {
        QPDFWriter writer(document->pdf);
        writer.setOutputMemory();
        writer.setObjectStreamMode(qpdf_o_generate);
        writer.setCompressStreams(true);  // streams without a filter: the new ones
        // Streams the input already encoded are copied as they are, never decoded and re-encoded.
        writer.setDecodeLevel(qpdf_dl_none);
        // qpdf refuses a deterministic /ID for an encrypted file (the ID feeds the key).
        writer.setDeterministicID(!document->encrypted);
        writer.write();
        std::shared_ptr<Buffer> buffer = writer.getBufferSharedPointer();
        auto *copy = static_cast<unsigned char *>(std::malloc(buffer->getSize() == 0 ? 1 : buffer->getSize()));
        if (copy == nullptr) throw std::bad_alloc();
        std::memcpy(copy, buffer->getBuffer(), buffer->getSize());
        *out_data = copy;
        *out_length = buffer->getSize();
        return CQPDF_OK;
    });
}

void cqpdf_buffer_free(unsigned char *data) { std::free(data); }
void cqpdf_string_free(char *string) { std::free(string); }

const char *cqpdf_version(void) { return QPDF::QPDFVersion().c_str(); }

}  // extern "C"
