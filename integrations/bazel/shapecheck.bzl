"""shapecheck in Bazel's build graph (SPEC section 7, docs/build-integration.md).

    bazel build //... \\
      --aspects=//integrations/bazel:shapecheck.bzl%shapecheck_aspect \\
      --output_groups=shapecheck

An aspect in the manner of bazel_clang_tidy.  For every C/C++ rule target
(cc_library, cc_binary, cc_test: whatever carries CcInfo) and, along
"deps", everything it depends on:

  * one facts action per C source (mnemonic ShapecheckFacts), as a compile
    action is one per source:
        shapecheck --emit-facts OUT.scfacts SRC -- <SRC's C compile flags>
    with the toolchain's flags for C compiles, --copt/--conlyopt, the rule's
    copts, and the defines and include folders of the target's compilation
    context; its inputs are the source, the headers that context declares
    and the checker;
  * one link action per target (mnemonic ShapecheckLink), over the facts of
    the target and of everything it depends on, as a link action is over
    the objects:
        shapecheck A.scfacts B.scfacts ...
    Its output, TARGET.shapecheck.txt in output group "shapecheck", is
    written when the check passes; a finding (exit status 1) or a unit the
    checker could not analyse (2) fails the action, with the report on
    stderr, and so fails the build.

Both are ordinary actions: they declare every input, write only their
output, and depend on nothing else, so the linux-sandbox accepts them and
Bazel's disk cache, remote cache and remote execution serve and run them
unchanged.  A second build of unchanged code runs none of them.

The checker is the label flag //integrations/bazel:shapecheck.  By default
it is empty, and the actions run the "shapecheck" on the action's PATH
(convenient, not hermetic).  Point it at a target whose files are the
checker and, in its runfiles, the headers and the front-end module
installed beside it (bin/, include/ and lib/shapecheck/ of "cmake
--install", see docs/build-integration.md):

    --//integrations/bazel:shapecheck=@shapecheck_tool//:shapecheck

and the checker becomes an input of every action, as remote execution
needs.  Targets tagged "no-shapecheck" (or "noshapecheck") and targets of
external repositories get no actions of their own; what they depend on is
still followed.
"""

load("@bazel_tools//tools/build_defs/cc:action_names.bzl", "ACTION_NAMES")
load("@bazel_tools//tools/cpp:toolchain_utils.bzl", "find_cpp_toolchain")

ShapecheckInfo = provider(
    doc = "The facts files of a target and of everything it depends on.",
    fields = {
        "facts": "depset of .scfacts files",
        "any": "whether FACTS has at least one file",
    },
)

_SKIP_TAGS = ["no-shapecheck", "noshapecheck"]

# GCC options clang does not know are dropped by the checker itself; these
# are the toolchain's that would change nothing it sees anyway.
_DROPPED_FLAGS = ["-fno-canonical-system-headers", "-fstack-usage"]

def _checker(ctx):
    """The checker's executable File (None: "shapecheck" on PATH) and the
    files every action needs to run it."""
    target = ctx.attr._shapecheck
    info = target[DefaultInfo]
    exe = info.files_to_run.executable
    files = info.files.to_list()
    if not exe and files:
        exe = files[0]
    runfiles = info.default_runfiles.files if info.default_runfiles else depset()
    return exe, depset(files, transitive = [runfiles])

def _c_sources(ctx):
    srcs = []
    for attr in ["srcs"]:
        for src in getattr(ctx.rule.files, attr, []):
            if src.extension == "c":
                srcs.append(src)
    return srcs

def _private_headers(ctx):
    return [
        f
        for f in getattr(ctx.rule.files, "srcs", [])
        if f.extension in ["h", "inc", "def"]
    ]

def _toolchain_flags(ctx, cc_toolchain):
    features = cc_common.configure_features(
        ctx = ctx,
        cc_toolchain = cc_toolchain,
        requested_features = ctx.features,
        unsupported_features = ctx.disabled_features,
    )
    variables = cc_common.create_compile_variables(
        feature_configuration = features,
        cc_toolchain = cc_toolchain,
        user_compile_flags = ctx.fragments.cpp.copts + ctx.fragments.cpp.conlyopts,
    )
    return cc_common.get_memory_inefficient_command_line(
        feature_configuration = features,
        action_name = ACTION_NAMES.c_compile,
        variables = variables,
    )

def _compile_flags(ctx, compilation_context):
    flags = _toolchain_flags(ctx, find_cpp_toolchain(ctx))
    flags = flags + getattr(ctx.rule.attr, "copts", [])
    flags = [f for f in flags if f not in _DROPPED_FLAGS]
    for define in compilation_context.defines.to_list():
        flags.append("-D" + define)
    for define in getattr(compilation_context, "local_defines", depset()).to_list():
        flags.append("-D" + define)
    for folder in compilation_context.framework_includes.to_list():
        flags.append("-F" + folder)
    for folder in compilation_context.includes.to_list():
        flags.append("-I" + folder)
    for folder in compilation_context.quote_includes.to_list():
        flags += ["-iquote", folder]
    for folder in compilation_context.system_includes.to_list():
        flags += ["-isystem", folder]
    return flags

def _run_checker(ctx, exe, checker_files, inputs, outputs, args, mnemonic, message, command):
    """Runs COMMAND (sh) with $1 the checker and the rest ARGS."""
    ctx.actions.run_shell(
        command = command,
        arguments = [exe.path if exe else "shapecheck", args],
        inputs = depset(transitive = [inputs, checker_files]),
        outputs = outputs,
        mnemonic = mnemonic,
        progress_message = message,
        use_default_shell_env = True,
    )

def _facts(ctx, target, src, flags, headers, exe, checker_files):
    out = ctx.actions.declare_file(
        "%s.shapecheck/%s.scfacts" % (target.label.name, src.short_path),
    )
    args = ctx.actions.args()
    args.add("--quiet")
    args.add("--emit-facts", out)
    args.add(src)
    args.add("--")
    args.add_all(flags)
    _run_checker(
        ctx,
        exe,
        checker_files,
        depset([src], transitive = [headers]),
        [out],
        args,
        "ShapecheckFacts",
        "shapecheck facts %s" % src.short_path,
        'sc=$1; shift; exec "$sc" "$@"',
    )
    return out

def _link(ctx, target, facts, exe, checker_files):
    report = ctx.actions.declare_file(target.label.name + ".shapecheck.txt")
    args = ctx.actions.args()
    args.add(report)
    args.add("--quiet")
    args.add_all(facts)
    _run_checker(
        ctx,
        exe,
        checker_files,
        facts,
        [report],
        args,
        "ShapecheckLink",
        "shapecheck %s" % target.label,
        # The report on stderr when the check fails (Bazel shows a failed
        # action's output and deletes its outputs).
        'sc=$1; out=$2; shift 2; "$sc" "$@" >"$out" 2>&1 || ' +
        '{ status=$?; cat "$out" >&2; exit $status; }',
    )
    return report

def _shapecheck_aspect_impl(target, ctx):
    deps = []
    any_facts = False
    for attr in ["deps", "implementation_deps"]:
        for dep in getattr(ctx.rule.attr, attr, []):
            if ShapecheckInfo in dep:
                deps.append(dep[ShapecheckInfo].facts)
                any_facts = any_facts or dep[ShapecheckInfo].any
    passed_on = ShapecheckInfo(facts = depset(transitive = deps), any = any_facts)
    if CcInfo not in target:
        return [passed_on]
    skip = target.label.workspace_root.startswith("external")
    for tag in _SKIP_TAGS:
        if tag in ctx.rule.attr.tags:
            skip = True
    if skip:
        return [passed_on]

    exe, checker_files = _checker(ctx)
    compilation_context = target[CcInfo].compilation_context
    flags = _compile_flags(ctx, compilation_context)
    headers = depset(_private_headers(ctx), transitive = [compilation_context.headers])
    own = [
        _facts(ctx, target, src, flags, headers, exe, checker_files)
        for src in _c_sources(ctx)
    ]
    facts = depset(own, transitive = deps)
    any_facts = any_facts or bool(own)
    outputs = []
    if any_facts:
        outputs.append(_link(ctx, target, facts, exe, checker_files))
    return [
        ShapecheckInfo(facts = facts, any = any_facts),
        OutputGroupInfo(shapecheck = depset(outputs)),
    ]

shapecheck_aspect = aspect(
    implementation = _shapecheck_aspect_impl,
    attr_aspects = ["deps", "implementation_deps"],
    fragments = ["cpp"],
    attrs = {
        "_cc_toolchain": attr.label(
            default = Label("@bazel_tools//tools/cpp:current_cc_toolchain"),
        ),
        "_shapecheck": attr.label(
            default = Label("//integrations/bazel:shapecheck"),
            cfg = "exec",
        ),
    },
    toolchains = ["@bazel_tools//tools/cpp:toolchain_type"],
)
