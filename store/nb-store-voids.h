/* nb-store-voids.h: voiding a recorded session or a calibration run (ISSUE11 §4). Records are
 * append-only: a session recorded by mistake or a run made on the wrong pen is not changed or
 * deleted, a `voids` row says that it no longer counts, why, who said so and when. At most one
 * void per record; only a closed record (a session not recording, a run not running) can be
 * voided; a voided run cannot be certified (the schema refuses its certificate row). Each void is
 * written in one IMMEDIATE transaction with its audit entry ("session.void" / "run.void", with
 * a checkpoint) covering the new row. */
#pragma once

#include "nb-store.h"

G_BEGIN_DECLS

/* characters of a void's reason, like a certificate's (NB_CERTIFICATE_REASON_MAX) */
#define NB_STORE_VOID_REASON_MAX 200

typedef enum
{
  NB_STORE_VOID_SESSION,
  NB_STORE_VOID_RUN,
} NbStoreVoidKind;

/* "session", "run" (as stored in voids.kind) */
const char *nb_store_void_kind_to_string (NbStoreVoidKind kind);

/* A void as read back. */
typedef struct
{
  gint64 id;
  NbStoreVoidKind kind;
  gint64 record_id; /* the session's or the run's id */
  char *reason;
  char *by;
  gint64 at; /* µs since epoch, UTC */
} NbStoreVoid;

void nb_store_void_free (NbStoreVoid *v);

/* nb_store_void_session / nb_store_void_run: voids session (run) @id for @reason (required:
 * 1 to NB_STORE_VOID_REASON_MAX characters, checked like a standard's texts:
 * nb_store_standard_check_text ()), by @actor (NULL = login name). Returns the void's id, or 0
 * with NB_STORE_ERROR_INVALID (a bad reason or actor; the session still recording or the run
 * running, or left so by a process that died; already voided: the message gives the reason),
 * NB_STORE_ERROR_NOT_FOUND (no such record) or another store error. */
gint64 nb_store_void_session (NbStore *store, gint64 id, const char *reason, const char *actor,
                              GError **error) G_GNUC_WARN_UNUSED_RESULT;
gint64 nb_store_void_run (NbStore *store, gint64 id, const char *reason, const char *actor,
                          GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* nb_store_get_void: (transfer full) the void of session or run @id, or NULL when it is not
 * voided (no error) or on a failure (with @error). */
NbStoreVoid *nb_store_get_void (NbStore *store, NbStoreVoidKind kind, gint64 id,
                                GError **error) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (NbStoreVoid, nb_store_void_free)

G_END_DECLS
