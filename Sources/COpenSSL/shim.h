#ifndef AGRITRACE_COPENSSL_SHIM_H
#define AGRITRACE_COPENSSL_SHIM_H

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

/* Static inline wrappers for OpenSSL macros, which Swift cannot import. */

static inline void agt_openssl_free(void *p) { OPENSSL_free(p); }

static inline long agt_bio_get_mem_data(BIO *bio, char **out) { return BIO_get_mem_data(bio, out); }

static inline int agt_sk_x509_num(const STACK_OF(X509) *sk) { return sk_X509_num(sk); }
static inline X509 *agt_sk_x509_value(const STACK_OF(X509) *sk, int i) { return sk_X509_value(sk, i); }
static inline STACK_OF(X509) *agt_sk_x509_new_null(void) { return sk_X509_new_null(); }
static inline int agt_sk_x509_push(STACK_OF(X509) *sk, X509 *x) { return sk_X509_push(sk, x); }
static inline void agt_sk_x509_free(STACK_OF(X509) *sk) { sk_X509_free(sk); }
static inline void agt_sk_x509_pop_free(STACK_OF(X509) *sk) { sk_X509_pop_free(sk, X509_free); }

static inline int agt_sk_asn1_object_num(const STACK_OF(ASN1_OBJECT) *sk) { return sk_ASN1_OBJECT_num(sk); }
static inline ASN1_OBJECT *agt_sk_asn1_object_value(const STACK_OF(ASN1_OBJECT) *sk, int i) { return sk_ASN1_OBJECT_value(sk, i); }
static inline void agt_extended_key_usage_free(EXTENDED_KEY_USAGE *eku) { sk_ASN1_OBJECT_pop_free(eku, ASN1_OBJECT_free); }

static inline int agt_sk_general_name_num(const GENERAL_NAMES *sk) { return sk_GENERAL_NAME_num(sk); }
static inline GENERAL_NAME *agt_sk_general_name_value(const GENERAL_NAMES *sk, int i) { return sk_GENERAL_NAME_value(sk, i); }
static inline void agt_general_names_free(GENERAL_NAMES *names) { GENERAL_NAMES_free(names); }
static inline int agt_general_name_type(const GENERAL_NAME *name) { return name->type; }
static inline const ASN1_IA5STRING *agt_general_name_uri(const GENERAL_NAME *name) {
    return name->type == GEN_URI ? name->d.uniformResourceIdentifier : NULL;
}

static inline int agt_basic_constraints_ca(const BASIC_CONSTRAINTS *bc) { return bc->ca ? 1 : 0; }
static inline long agt_basic_constraints_pathlen(const BASIC_CONSTRAINTS *bc) {
    return bc->pathlen ? ASN1_INTEGER_get(bc->pathlen) : -1;
}

static inline int agt_sk_x509_crl_num(const STACK_OF(X509_CRL) *sk) { return sk_X509_CRL_num(sk); }
static inline int agt_sk_x509_revoked_num(const STACK_OF(X509_REVOKED) *sk) { return sk_X509_REVOKED_num(sk); }
static inline X509_REVOKED *agt_sk_x509_revoked_value(const STACK_OF(X509_REVOKED) *sk, int i) { return sk_X509_REVOKED_value(sk, i); }

static inline int agt_sk_x509_extension_num(const STACK_OF(X509_EXTENSION) *sk) { return sk_X509_EXTENSION_num(sk); }
static inline X509_EXTENSION *agt_sk_x509_extension_value(const STACK_OF(X509_EXTENSION) *sk, int i) { return sk_X509_EXTENSION_value(sk, i); }
static inline void agt_sk_x509_extension_pop_free(STACK_OF(X509_EXTENSION) *sk) { sk_X509_EXTENSION_pop_free(sk, X509_EXTENSION_free); }

/* A passphrase callback that never prompts on a terminal: the passphrase comes from `u`
   (a NUL-terminated string) or the read fails. */
static int agt_passphrase_callback(char *buf, int size, int rwflag, void *u) {
    (void)rwflag;
    if (u == NULL || size <= 0) return -1;
    const char *pass = (const char *)u;
    size_t len = strlen(pass);
    if (len > (size_t)size) return -1;
    memcpy(buf, pass, len);
    return (int)len;
}
static inline pem_password_cb *agt_passphrase_cb(void) { return agt_passphrase_callback; }

/* OpenSSL 3 deprecates these with the rest of the low-level EC API, but keeps them, and offers no
   other way to give a point of one's own a table of multiples, or to read a point's x coordinate
   without an inversion (FixedBaseVerifier). */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
static inline int agt_ec_group_precompute_mult(EC_GROUP *group, BN_CTX *ctx) {
    return EC_GROUP_precompute_mult(group, ctx);
}
static inline int agt_ec_point_get_jprojective(const EC_GROUP *group, const EC_POINT *point,
                                               BIGNUM *x, BIGNUM *y, BIGNUM *z, BN_CTX *ctx) {
    return EC_POINT_get_Jprojective_coordinates_GFp(group, point, x, y, z, ctx);
}
#pragma GCC diagnostic pop

#endif
