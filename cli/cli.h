/* cli.h - the subcommands of the caps program. Each returns the process exit
 * code: 0 ok, 1 failure, 2 usage error. */
#ifndef CAPS_CLI_H
#define CAPS_CLI_H

#define CLI_OK 0
#define CLI_FAIL 1
#define CLI_USAGE 2

int cli_sense(int argc, char **argv);
int cli_synth(int argc, char **argv);
int cli_sim(int argc, char **argv);
int cli_cloud(int argc, char **argv);

#endif
