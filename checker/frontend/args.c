/*
 * args.c - clang's options that take a separate value, and the options the
 * checker drops (see args.h).
 */
#include "args.h"

#include <stddef.h>
#include <string.h>

#define N_OF(a) (sizeof(a) / sizeof((a)[0]))

/* clang 14's options whose value may be the next word. */
static const char *const separate_value[] = {
    "--analyzer-output",
    "--config",
    "--param",
    "--sysroot",
    "-A",
    "-B",
    "-D",
    "-F",
    "-G",
    "-I",
    "-L",
    "-MF",
    "-MJ",
    "-MQ",
    "-MT",
    "-T",
    "-Tbss",
    "-Tdata",
    "-Ttext",
    "-U",
    "-V",
    "-Xanalyzer",
    "-Xarch_device",
    "-Xarch_host",
    "-Xassembler",
    "-Xclang",
    "-Xcuda-fatbinary",
    "-Xcuda-ptxas",
    "-Xlinker",
    "-Xopenmp-target",
    "-Xpreprocessor",
    "-allowable_client",
    "-arch",
    "-arcmt-migrate-report-output",
    "-b",
    "-bundle_loader",
    "-ccc-arcmt-migrate",
    "-ccc-gcc-name",
    "-ccc-install-dir",
    "-ccc-objcmt-migrate",
    "-client_name",
    "-compatibility_version",
    "-current_version",
    "-cxx-isystem",
    "-dependency-dot",
    "-dependency-file",
    "-dsym-dir",
    "-dylib_file",
    "-dylinker_install_name",
    "-e",
    "-exported_symbols_list",
    "-filelist",
    "-fmodules-user-build-path",
    "-force_load",
    "-framework",
    "-gen-cdb-fragment-path",
    "-idirafter",
    "-iframework",
    "-iframeworkwithsysroot",
    "-imacros",
    "-imultilib",
    "-include",
    "-include-pch",
    "-init",
    "-install_name",
    "-iprefix",
    "-iquote",
    "-isysroot",
    "-isystem",
    "-isystem-after",
    "-ivfsoverlay",
    "-iwithprefix",
    "-iwithprefixbefore",
    "-iwithsysroot",
    "-l",
    "-lazy_framework",
    "-meabi",
    "-mllvm",
    "-module-dependency-dir",
    "-mthread-model",
    "-multiply_defined",
    "-o",
    "-read_only_relocs",
    "-resource-dir",
    "-rpath",
    "-sectalign",
    "-sectorder",
    "-seg1addr",
    "-seg_addr_table",
    "-segaddr",
    "-segprot",
    "-serialize-diagnostics",
    "-stdlib++-isystem",
    "-sub_library",
    "-sub_umbrella",
    "-target",
    "-u",
    "-umbrella",
    "-unexported_symbols_list",
    "-weak_framework",
    "-weak_reference_mismatches",
    "-working-directory",
    "-x",
    "-z",
};

/* Dropped options written as one word. */
static const char *const unwanted_alone[] = {
    /* dependency generation */
    "-M",
    "-MM",
    "-MD",
    "-MMD",
    "-MG",
    "-MP",
    "-MV",
    "--dependencies",
    "--user-dependencies",
    "--write-dependencies",
    "--write-user-dependencies",
    /* driver queries, and what only prints */
    "-###",
    "--version",
    "-v",
    "--verbose",
    "-help",
    "--help",
    "--help-hidden",
    "-dumpversion",
    "-dumpfullversion",
    "-dumpmachine",
    "-dumpspecs",
    "-H",
    "--trace-includes",
    "-ftime-report",
    "-ccc-print-phases",
    "-ccc-print-bindings",
    "-save-temps",
};

/* Dropped options with a value in the next word, or joined to them
   ("-MF dep.d", "-MFdep.d"). */
static const char *const unwanted_with_value[] = {
    "-MF", "-MT", "-MQ", "-MJ", "-dependency-file", "-dependency-dot",
};

/* Dropped prefixes of one-word options: "-Wp,-MD,dep.d" (GCC's way to
   ask the preprocessor), "-print-search-dirs", "-save-temps=obj". */
static const char *const unwanted_prefix[] = {
    "-Wp,-M", "-print-", "--print-", "-save-temps=", "-ftime-report=",
};

static bool in_list(const char *const *list, size_t n, const char *arg)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(list[i], arg) == 0)
            return true;
    return false;
}

static bool has_prefix_in(const char *const *list, size_t n, const char *arg)
{
    for (size_t i = 0; i < n; i++)
        if (strncmp(arg, list[i], strlen(list[i])) == 0)
            return true;
    return false;
}

bool args_takes_value(const char *arg)
{
    return in_list(separate_value, N_OF(separate_value), arg) ||
           strncmp(arg, "-Xarch_", 7) == 0; /* "-Xarch_x86_64 ARG" */
}

const char *args_missing_value(const char *const *argv, int argc)
{
    for (int i = 1; i < argc; i++)
        if (args_takes_value(argv[i])) {
            if (i + 1 == argc)
                return argv[i];
            i++; /* its value, whatever it looks like */
        }
    return NULL;
}

int args_unwanted_words(const char *const *argv, int argc, int i)
{
    const char *arg = argv[i];
    if (in_list(unwanted_alone, N_OF(unwanted_alone), arg) ||
        has_prefix_in(unwanted_prefix, N_OF(unwanted_prefix), arg))
        return 1;
    for (size_t k = 0; k < N_OF(unwanted_with_value); k++) {
        const char *opt = unwanted_with_value[k];
        size_t n = strlen(opt);
        if (strncmp(arg, opt, n) != 0)
            continue;
        if (arg[n] != '\0')
            return 1; /* joined: "-MFdep.d" */
        return i + 1 < argc ? 2 : 1;
    }
    return 0;
}

bool args_unwanted_with_value(const char *arg)
{
    return in_list(unwanted_with_value, N_OF(unwanted_with_value), arg);
}

void args_drop_unwanted(const char **argv, int *argc, int first,
                        const char **removed, int *n_removed)
{
    int out = first;
    for (int i = first; i < *argc;) {
        int drop = args_unwanted_words(argv, *argc, i);
        for (int k = 0; k < drop; k++) {
            if (removed)
                removed[*n_removed] = argv[i + k];
            (*n_removed)++;
        }
        if (drop) {
            i += drop;
            continue;
        }
        /* A kept option keeps its value too: "-I -MD" names a folder. */
        int keep = args_takes_value(argv[i]) && i + 1 < *argc ? 2 : 1;
        for (int k = 0; k < keep; k++)
            argv[out++] = argv[i++];
    }
    argv[out] = NULL;
    *argc = out;
}
