// What every C face over a C++ library (CPoppler, CQPDF) needs inside: a message copied out to the
// Swift side, and a C++ exception turned into a status and a message naming the failing call.
// C++ only; a C or Swift importer sees an empty header.
#ifndef CSHIMSUPPORT_H
#define CSHIMSUPPORT_H

#ifdef __cplusplus
#include <exception>
#include <new>
#include <string>

namespace cshim {

// Copies message into a malloc'd C string at *error_message (the Swift side frees it); nothing
// when error_message is null or the copy cannot be allocated.
void set_message(char **error_message, const std::string &message);

// Runs body; a C++ exception becomes a status (out_of_memory for std::bad_alloc, failure for any
// other std::exception, unknown for anything else) and a message that starts with call. A shim
// catches its library's own exceptions inside body, where they can say more.
template <typename Status, typename Body>
Status guarded(char **error_message, const char *call, Status out_of_memory, Status failure, Status unknown, Body body) {
    try {
        return body();
    } catch (const std::bad_alloc &) {
        set_message(error_message, std::string(call) + ": out of memory");
        return out_of_memory;
    } catch (const std::exception &error) {
        set_message(error_message, std::string(call) + ": " + error.what());
        return failure;
    } catch (...) {
        set_message(error_message, std::string(call) + ": unknown C++ exception");
        return unknown;
    }
}

}  // namespace cshim
#endif

#endif
