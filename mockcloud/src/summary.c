/* summary.c - GET /api/v1/caps/summary: the latest traffic summary per subnet.
 *
 * Per subnet: its current epoch, its leader, and the summary of the accepted
 * payload with the highest (epoch, seq), with who sent it and when it
 * arrived. Sorted by subnet, at most CLOUD_LIST_ROWS_MAX.
 */
#include "cloud_int.h"
#include "codec/inventory.h"   /* codec_time_rfc3339 */

static cJSON *subnet_row(sqlite3_stmt *st)
{
    char when[21];
    cJSON *s = cJSON_CreateObject();

    cJSON_AddStringToObject(s, "subnet", cloud_col_text(st, 0));
    cJSON_AddNumberToObject(s, "epoch", (double)sqlite3_column_int64(st, 1));
    cJSON_AddStringToObject(s, "leader_agent_id", cloud_col_text(st, 2));
    cJSON_AddStringToObject(s, "agent_id", cloud_col_text(st, 3));
    cJSON_AddNumberToObject(s, "summary_epoch", (double)sqlite3_column_int64(st, 4));
    cJSON_AddNumberToObject(s, "seq", (double)sqlite3_column_int64(st, 5));
    codec_time_rfc3339((uint64_t)sqlite3_column_int64(st, 6), when);
    cJSON_AddStringToObject(s, "received_at", when);
    cJSON *summary = cJSON_Parse(cloud_col_text(st, 7));
    if (summary == NULL) {
        cJSON_Delete(s);
        return NULL;
    }
    cJSON_AddItemToObject(s, "summary", summary);
    return s;
}

cJSON *cloud_summary_subnets(struct cloud *c)
{
    sqlite3_stmt *st;

    if (cloud_stmt(c, "SELECT subnet, epoch, leader_agent_id, summary_agent_id, summary_epoch, "
                      "summary_seq, summary_us, summary FROM subnets "
                      "WHERE summary IS NOT NULL ORDER BY subnet LIMIT ?1", &st) != SQLITE_OK)
        return NULL;
    sqlite3_bind_int64(st, 1, CLOUD_LIST_ROWS_MAX);
    cJSON *subnets = cJSON_CreateArray();
    int rc = SQLITE_ERROR;
    while (subnets != NULL && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        cJSON *s = subnet_row(st);
        if (s == NULL)
            break;
        cJSON_AddItemToArray(subnets, s);
    }
    cloud_stmt_done(c, st);
    if (rc != SQLITE_DONE) {
        cJSON_Delete(subnets);
        return NULL;
    }
    return subnets;
}

void cloud_summary_list(struct cloud *c, struct cloud_response *resp)
{
    cJSON *subnets = cloud_summary_subnets(c);
    if (subnets == NULL) {
        cloud_reply_db(c, resp, "summary");
        return;
    }
    cJSON *doc = cJSON_CreateObject();
    int n = cJSON_GetArraySize(subnets);
    cJSON_AddItemToObject(doc, "subnets", subnets);
    cJSON_AddNumberToObject(doc, "count", n);
    cloud_reply_json(resp, 200, doc);
}
