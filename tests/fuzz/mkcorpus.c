/* mkcorpus.c - writes each sample set as a libFuzzer seed corpus.
 *
 * usage: mkcorpus DIR  ->  DIR/<decoder>/<sample name>, one file per sample.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "sample.h"

int main(int argc, char **argv)
{
    char path[4096];

    if (argc != 2) {
        fprintf(stderr, "usage: mkcorpus DIR\n");
        return 2;
    }
    if (mkdir(argv[1], 0755) != 0 && errno != EEXIST) {
        fprintf(stderr, "mkcorpus: %s: %s\n", argv[1], strerror(errno));
        return 1;
    }
    for (size_t i = 0; caps_sample_sets[i] != NULL; i++) {
        const struct caps_sample_set *set = caps_sample_sets[i];
        snprintf(path, sizeof path, "%s/%s", argv[1], set->decoder);
        if (mkdir(path, 0755) != 0 && errno != EEXIST) {
            fprintf(stderr, "mkcorpus: %s: %s\n", path, strerror(errno));
            return 1;
        }
        for (size_t j = 0; j < set->count; j++) {
            snprintf(path, sizeof path, "%s/%s/%s", argv[1], set->decoder,
                     set->samples[j].name);
            FILE *f = fopen(path, "wb");
            if (f == NULL || fwrite(set->samples[j].bytes, 1, set->samples[j].len, f) !=
                                 set->samples[j].len) {
                fprintf(stderr, "mkcorpus: %s: %s\n", path, strerror(errno));
                if (f)
                    fclose(f);
                return 1;
            }
            fclose(f);
        }
    }
    return 0;
}
