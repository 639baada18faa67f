/* sim/scenario.h - a scenario: the subnet, the agents, the configuration, the
 * duration, the seed, the faults and the expectations of one simulated run.
 *
 * Read from JSON by scen_scenario_load (errors name file:line:column and the
 * key); see scenarios/README.md for the format. Every field has a fixed
 * bound, so a scenario is plain data that a run only reads.
 */
#ifndef SIM_SCENARIO_H
#define SIM_SCENARIO_H

#include <stddef.h>
#include <stdint.h>

#include "caps/config.h"

#define SCEN_NAME_MAX 64
#define SCEN_MIX_MAX 32            /* profile weights in a subnet mix */
#define SCEN_AGENTS_MAX 64         /* sensors on the subnet */
#define SCEN_FAULTS_MAX 256        /* scheduled faults */
#define SCEN_ASSERTIONS_MAX 64
#define SCEN_ERRMSG_MAX 512

struct scen_mix {
    char profile[SCEN_NAME_MAX];   /* a profile name of data/profiles.json */
    double weight;                 /* > 0; weights are normalised */
};

struct scen_subnet {
    uint32_t hosts;                /* 1..65535 */
    uint8_t net[4];                /* network address, wire order */
    uint8_t prefix_len;            /* 8..30; hosts must fit */
    uint32_t mix_count;            /* 0: the profiles' default mix */
    struct scen_mix mix[SCEN_MIX_MAX];
    double churn_per_day;          /* share of hosts that leave and come back per day, 0..1 */
    int mac_rotation;              /* 1: phones rotate randomized MACs */
};

struct scen_agent {
    char name[SCEN_NAME_MAX];      /* unique */
    uint32_t priority;             /* 1..254 (election) */
    int rogue;                     /* 1: signs its adverts with a wrong site key */
    char dns_suffix[CAPS_DOMAIN_NAME_MAX];  /* "" = none */
    int64_t clock_skew_us;         /* agent clock = sim clock + skew (+ drift) */
    int32_t clock_drift_ppm;
    uint64_t start_us;             /* when it boots */
};

struct scen_link {
    uint64_t delay_us;             /* fixed one-way delay to every agent */
    uint64_t jitter_us;            /* plus uniform [0, jitter): reorders frames */
    double loss;                   /* 0..1 */
    double duplicate;              /* 0..1 */
};

enum scen_fault_kind {
    SCEN_FAULT_CRASH = 1,          /* agent stops without a word */
    SCEN_FAULT_RESTART,            /* a crashed or stopped agent boots again */
    SCEN_FAULT_STOP,               /* clean stop */
    SCEN_FAULT_LEAVE_PREMISES,     /* DNS suffix changes to `value` */
    SCEN_FAULT_PARTITION,          /* agents in `agents` cut from the others */
    SCEN_FAULT_HEAL,               /* partitions end */
    SCEN_FAULT_LOSS,               /* link loss becomes `number` */
    SCEN_FAULT_CLOUD_OUTAGE,       /* cloud unreachable until at_us + duration_us */
    SCEN_FAULT_CLOUD_LOST_ACK,     /* until at_us + duration_us: uploads commit, answers are lost */
    SCEN_FAULT_CLOUD_SLOW,         /* until at_us + duration_us: answers arrive `number` s late */
    SCEN_FAULT_KIND_COUNT
};

struct scen_fault {
    uint64_t at_us;
    enum scen_fault_kind kind;
    char agent[SCEN_NAME_MAX];     /* the agent concerned, "" when none */
    uint64_t agents_mask;          /* PARTITION: bit i = agent i */
    double number;                 /* LOSS: the rate; CLOUD_SLOW: the delay in seconds */
    uint64_t duration_us;          /* CLOUD_* */
    char value[CAPS_DOMAIN_NAME_MAX];  /* LEAVE_PREMISES: the new suffix */
};

/* Seeded random crashes ("random_faults"): each listed agent crashes as a
 * Poisson process of rate crashes_per_day while it is up, and restarts after a
 * delay uniform in [restart_lo_us, restart_hi_us]; drawn by the run from the
 * agent's own stream (TRAFFIC_ENTITY_FAULT, agent index) under the run's seed. */
struct scen_random_faults {
    int enabled;
    double crashes_per_day;        /* per agent, 0..1440 */
    uint64_t restart_lo_us;        /* 0..duration; lo <= hi */
    uint64_t restart_hi_us;
    uint64_t agents_mask;          /* bit i = agent i */
};

/* An expectation checked at the end of the run (or, for "_at" metrics, at a
 * time): metric (a key of result.json "metrics") compared with threshold. */
enum scen_cmp { SCEN_CMP_GE = 1, SCEN_CMP_LE, SCEN_CMP_EQ };

struct scen_assertion {
    char name[SCEN_NAME_MAX];      /* unique, shown in result.json */
    char metric[SCEN_NAME_MAX];
    enum scen_cmp cmp;
    double threshold;
};

/* The election of the agents (off unless the scenario has "election"). */
struct scen_election {
    int enabled;
    uint64_t advert_interval_us;   /* 1 ms .. 3600 s; default 120 s */
    int preempt;                   /* 1: a better agent takes the lead at once */
};

/* The in-process cloud (off unless the scenario has "cloud"): every agent
 * activates with it and a leader that may report uploads to it. */
struct scen_cloud {
    int enabled;
    uint64_t upload_interval_us;   /* 1 s .. 1440 min; default config.upload_interval_minutes */
    uint64_t answer_delay_us;      /* every answer reaches the agent this late, 0..600 s */
};

struct scen_scenario {
    char name[SCEN_NAME_MAX];
    uint64_t seed;
    uint64_t duration_us;          /* simulated time */
    uint64_t start_epoch_us;       /* wall-clock time of t = 0 (timestamps) */
    uint64_t sample_every_us;      /* timeline resolution */
    struct scen_subnet subnet;
    struct scen_link link;
    struct scen_election election;
    struct scen_cloud cloud;
    uint32_t agent_count;          /* 1..SCEN_AGENTS_MAX */
    struct scen_agent agents[SCEN_AGENTS_MAX];
    struct caps_config config;     /* as in docs/config.md; fingerprints NULL */
    uint32_t fault_count;
    struct scen_fault faults[SCEN_FAULTS_MAX];   /* sorted by at_us, stable */
    struct scen_random_faults random_faults;
    uint32_t assertion_count;
    struct scen_assertion assertions[SCEN_ASSERTIONS_MAX];
};

/* Parses text[0..len) named name into sc. Returns 0 or -1 with err such as
 * scenarios/failover.json:14:9: "advert_interval_s" must be 1..3600, got 0 */
int scen_scenario_parse(const char *text, size_t len, const char *name,
                        struct scen_scenario *sc, char err[SCEN_ERRMSG_MAX]);

/* Reads path and parses it. */
int scen_scenario_load(const char *path, struct scen_scenario *sc, char err[SCEN_ERRMSG_MAX]);

#endif
