/* agents.c - GET /api/v1/agents: the activated sensor agents and their tags.
 *
 * Every agent is a "CAPS Sensor"; the agent whose upload a subnet accepted
 * last at its current epoch also carries "CAPS Leader" (a fenced upload never
 * moves it). Sorted by agent_id, at most CLOUD_LIST_ROWS_MAX.
 */
#include "cloud_int.h"
#include "codec/inventory.h"   /* codec_time_rfc3339 */

static cJSON *time_or_null(sqlite3_stmt *st, int idx)
{
    char when[21];

    if (sqlite3_column_type(st, idx) == SQLITE_NULL)
        return cJSON_CreateNull();
    codec_time_rfc3339((uint64_t)sqlite3_column_int64(st, idx), when);
    return cJSON_CreateString(when);
}

static cJSON *agent_row(sqlite3_stmt *st)
{
    cJSON *a = cJSON_CreateObject();
    cJSON *tags = cJSON_CreateArray();

    cJSON_AddStringToObject(a, "agent_id", cloud_col_text(st, 0));
    cJSON_AddStringToObject(a, "hostname", cloud_col_text(st, 1));
    cJSON *macs = cJSON_Parse(cloud_col_text(st, 2));
    cJSON_AddItemToObject(a, "macs", macs != NULL ? macs : cJSON_CreateArray());
    cJSON_AddItemToObject(a, "activated_at", time_or_null(st, 3));
    cJSON_AddItemToObject(a, "last_upload_at", time_or_null(st, 4));
    if (sqlite3_column_type(st, 5) == SQLITE_NULL)
        cJSON_AddNullToObject(a, "subnet");
    else
        cJSON_AddStringToObject(a, "subnet", cloud_col_text(st, 5));
    cJSON_AddItemToArray(tags, cJSON_CreateString("CAPS Sensor"));
    if (sqlite3_column_int(st, 6))
        cJSON_AddItemToArray(tags, cJSON_CreateString("CAPS Leader"));
    cJSON_AddItemToObject(a, "tags", tags);
    if (cJSON_GetObjectItemCaseSensitive(a, "tags") != tags ||
        cJSON_GetArraySize(tags) < 1) {
        cJSON_Delete(a);
        return NULL;
    }
    return a;
}

void cloud_agents_list(struct cloud *c, struct cloud_response *resp)
{
    sqlite3_stmt *st;

    if (cloud_stmt(c, "SELECT agent_id, hostname, macs, activated_us, last_upload_us, "
                      "last_subnet, EXISTS (SELECT 1 FROM subnets "
                      "  WHERE subnets.leader_agent_id = agents.agent_id) "
                      "FROM agents ORDER BY agent_id LIMIT ?1", &st) != SQLITE_OK) {
        cloud_reply_db(c, resp, "agents");
        return;
    }
    sqlite3_bind_int64(st, 1, CLOUD_LIST_ROWS_MAX);
    cJSON *doc = cJSON_CreateObject();
    cJSON *agents = cJSON_AddArrayToObject(doc, "agents");
    int rc = SQLITE_ERROR, n = 0;
    while (agents != NULL && (rc = sqlite3_step(st)) == SQLITE_ROW) {
        cJSON *a = agent_row(st);
        if (a == NULL)
            break;
        cJSON_AddItemToArray(agents, a);
        n++;
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        cJSON_Delete(doc);
        cloud_reply_db(c, resp, "agents");
        return;
    }
    cJSON_AddNumberToObject(doc, "count", n);
    cloud_reply_json(resp, 200, doc);
}
