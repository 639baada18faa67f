/* main.c - the caps program: dispatch to subcommands.
 *
 * caps SUBCOMMAND [OPTIONS]; every subcommand has --help. Exit codes: 0 ok,
 * 1 failure, 2 usage error.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

static const char usage[] =
    "usage: caps SUBCOMMAND [OPTIONS]\n"
    "\n"
    "Passive network asset sensor and its test bench.\n"
    "\n"
    "subcommands:\n"
    "  sense    replay a capture (or capture live) through one sensor core\n"
    "  synth    write the traffic of a synthesized subnet as a pcap, with its truth\n"
    "  sim      run a scenario in the deterministic simulator\n"
    "  cloud    run the mock cloud (HTTP + SQLite) the sensors report to\n"
    "\n"
    "Run 'caps SUBCOMMAND --help' for the options of one subcommand.\n";

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs(usage, stderr);
        return CLI_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
        strcmp(argv[1], "help") == 0) {
        fputs(usage, stdout);
        return CLI_OK;
    }
    if (strcmp(argv[1], "--version") == 0) {
        puts("caps " CAPS_VERSION);
        return CLI_OK;
    }
    if (strcmp(argv[1], "sense") == 0)
        return cli_sense(argc - 1, argv + 1);
    if (strcmp(argv[1], "synth") == 0)
        return cli_synth(argc - 1, argv + 1);
    if (strcmp(argv[1], "sim") == 0)
        return cli_sim(argc - 1, argv + 1);
    if (strcmp(argv[1], "cloud") == 0)
        return cli_cloud(argc - 1, argv + 1);
    fprintf(stderr, "caps: unknown subcommand '%s'\n\n%s", argv[1], usage);
    return CLI_USAGE;
}
