#ifndef CTESSERACT_H
#define CTESSERACT_H
// Tesseract's C API and Leptonica, for the engine module only.
#include <tesseract/capi.h>
#include <leptonica/allheaders.h>
#endif
