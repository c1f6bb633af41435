#include "CShimSupport.h"

#include <cstdlib>
#include <cstring>

namespace cshim {

void set_message(char **error_message, const std::string &message) {
    if (error_message == nullptr) return;
    *error_message = static_cast<char *>(std::malloc(message.size() + 1));
    if (*error_message != nullptr) std::memcpy(*error_message, message.c_str(), message.size() + 1);
}

}  // namespace cshim
