/*
 * profile.h: the relationship profile of a dyad as a JSON document of table sections
 * (analytics/table.h). Used by `bilat profile`, the report and the web server. The sides of a
 * dyad and the sources of its records are analytics/dyad.h.
 */
#ifndef BILAT_ANALYTICS_PROFILE_H
#define BILAT_ANALYTICS_PROFILE_H

#include "bilat.h"
#include "core/buf.h"

#include <jansson.h>

/* Build the profile document; caller owns *doc_out (json_decref). */
int profile_build(bilat_db *db, const struct bilat_profile_opts *opts, json_t **doc_out,
                  struct bilat_err *err);

/*
 * The profile's text only, as json_dumps(doc, flags) writes the document, appended to text_out
 * (which holds what it held before the call when this fails). With opts->jobs > 1 and a store
 * opened read-only, a second connection builds sections on a thread of its own; each thread
 * writes the text of the sections it built and drops them. The text is the same either way.
 */
int profile_build_text(bilat_db *db, const struct bilat_profile_opts *opts, size_t flags,
                       struct bilat_buf *text_out, struct bilat_err *err);

#endif
