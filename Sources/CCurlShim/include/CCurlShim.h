// Typed, non-variadic wrappers around libcurl's variadic entry points (Swift cannot call C variadics), and the
// few helpers Swift cannot express directly (the CURLMsg union, share-handle lock callbacks).
#ifndef CCURLSHIM_H
#define CCURLSHIM_H

#include <curl/curl.h>

/// Process-wide libcurl initialisation; safe to call many times (only the first call does the work).
CURLcode ccurl_global_init(void);

// curl_easy_setopt, one function per argument type.
CURLcode ccurl_easy_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode ccurl_easy_setopt_off_t(CURL *handle, CURLoption option, curl_off_t value);
CURLcode ccurl_easy_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode ccurl_easy_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode ccurl_easy_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value);
CURLcode ccurl_easy_setopt_share(CURL *handle, CURLSH *share);

/// Write/header callback signature (CURLOPT_WRITEFUNCTION / CURLOPT_HEADERFUNCTION).
typedef size_t (*ccurl_data_callback)(char *data, size_t size, size_t count, void *userdata);
/// Transfer-progress callback signature (CURLOPT_XFERINFOFUNCTION); a non-zero return aborts the transfer.
typedef int (*ccurl_progress_callback)(void *userdata, curl_off_t download_total, curl_off_t download_now,
                                       curl_off_t upload_total, curl_off_t upload_now);

CURLcode ccurl_easy_set_write_callback(CURL *handle, ccurl_data_callback callback, void *userdata);
CURLcode ccurl_easy_set_header_callback(CURL *handle, ccurl_data_callback callback, void *userdata);
/// Installs the progress callback and turns CURLOPT_NOPROGRESS off so it is called.
CURLcode ccurl_easy_set_progress_callback(CURL *handle, ccurl_progress_callback callback, void *userdata);

// curl_easy_getinfo, one function per result type.
CURLcode ccurl_easy_getinfo_long(CURL *handle, CURLINFO info, long *value);
CURLcode ccurl_easy_getinfo_off_t(CURL *handle, CURLINFO info, curl_off_t *value);
CURLcode ccurl_easy_getinfo_string(CURL *handle, CURLINFO info, const char **value);
CURLcode ccurl_easy_getinfo_pointer(CURL *handle, CURLINFO info, void **value);

/// A share handle sharing DNS, TLS sessions and connections, together with the pthread mutexes that serve as its
/// lock callbacks, so it may be used from several threads.
typedef struct ccurl_share ccurl_share;
/// Creates the share (NULL on failure).
ccurl_share *ccurl_share_create(void);
/// The CURLSH to pass to ccurl_easy_setopt_share.
CURLSH *ccurl_share_handle(ccurl_share *share);
/// Cleans up the share handle and frees its locks. No easy handle may still use it.
void ccurl_share_destroy(ccurl_share *share);
CURLSHcode ccurl_share_setopt_long(CURLSH *share, CURLSHoption option, long value);

CURLMcode ccurl_multi_setopt_long(CURLM *multi, CURLMoption option, long value);
/// Reads the next finished transfer from the multi handle: returns 1 and fills `easy`/`result`, or 0 when none.
int ccurl_multi_next_done(CURLM *multi, CURL **easy, CURLcode *result);

#endif
