// xmlversion.h first, then turn off ICU: Debian's libxml2 headers include the system ICU,
// which clashes with Foundation's private ICU ("'UErrorCode' has different definitions").
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlwriter.h>
#include <libxml/xmlerror.h>
#include <libxml/xmlsave.h>

/// xmlFree is a mutable global function pointer, which Swift 6 rejects; call it through here.
static inline void clibxml2_free(void *pointer) {
    xmlFree(pointer);
}
