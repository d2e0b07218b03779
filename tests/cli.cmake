# Command-line behaviour: exit statuses and messages for bad input
# (SPEC section 5).  Each test runs shapecheck through expect_run.sh, which
# checks the exit status and a pattern in the output.
set(SC $<TARGET_FILE:shapecheck>)
set(EXPECT ${CMAKE_CURRENT_SOURCE_DIR}/expect_run.sh)
set(BAD ${CMAKE_CURRENT_SOURCE_DIR}/data/bad)
set(CORPUS ${PROJECT_SOURCE_DIR}/corpus)
set(BUGGY ${CORPUS}/batch/labels_short_batch.c)

function(sc_cli_test name status pattern)
  add_test(NAME cli.${name} COMMAND ${EXPECT} ${status} ${pattern} ${ARGN})
  set_tests_properties(cli.${name} PROPERTIES LABELS cli)
endfunction()

sc_cli_test(finding_exits_1 1 "\\[shape-batch-mismatch\\]"
            ${SC} ${BUGGY} -- -I${CORPUS}/include)
sc_cli_test(clean_exits_0 0 "^$"
            ${SC} ${CORPUS}/batch/truncated_labels.c -- -I${CORPUS}/include)
# A missing file is reported, and the other file is still analysed.
sc_cli_test(missing_file 2 "nonexistent\\.c: no such file or directory"
            ${SC} ${BAD}/nonexistent.c ${BUGGY} -- -I${CORPUS}/include)
sc_cli_test(missing_file_others_analysed 2 "\\[shape-batch-mismatch\\]"
            ${SC} ${BAD}/nonexistent.c ${BUGGY} -- -I${CORPUS}/include)
# Compiler errors: printed as clang prints them, exit 2, others analysed.
sc_cli_test(compiler_error 2 "syntax_error\\.c:6:13: error: expected expression"
            ${SC} ${BAD}/syntax_error.c ${BUGGY} -- -I${CORPUS}/include)
sc_cli_test(compiler_error_others_analysed 2 "\\[shape-batch-mismatch\\]"
            ${SC} ${BAD}/syntax_error.c ${BUGGY} -- -I${CORPUS}/include)
sc_cli_test(malformed_database 2 "compile_commands\\.json:3:[0-9]+: malformed JSON"
            ${SC} -p ${BAD}/baddb)
sc_cli_test(missing_database 2 "cannot read"
            ${SC} -p ${BAD}/no_such_build_dir)
sc_cli_test(database_entry_missing_file 2 "gone\\.c: no such file or directory"
            ${SC} -p ${BAD}/missingentry)
sc_cli_test(unknown_option 2 "unknown or incomplete option '--frobnicate'"
            ${SC} --frobnicate ${BUGGY})
sc_cli_test(no_input 2 "no input files" ${SC})
sc_cli_test(gcc_only_option_dropped 0 "dropped compiler option '-fconserve-stack'"
            ${SC} -v ${CORPUS}/batch/truncated_labels.c --
            gcc -fconserve-stack -I${CORPUS}/include)
sc_cli_test(list_rules 0 "shape-batch-mismatch" ${SC} --list-rules)
# --verify fails (status 1) when a finding is not expected.
sc_cli_test(verify_unexpected 1 "seen but not expected"
            ${SC} --verify ${BAD}/unexpected_finding.c -- -I${CORPUS}/include)

# Only the bodies whose walk can report are walked (engine/demand.c): none
# in a program with no annotation; 7 of 8 in helper_summaries.c (one of
# tinyml.h's kernels is called by nothing walked); every one when the run
# must publish every signature (SHAPECHECK_WALK_ALL=1, as an observer or
# summary files do).
sc_cli_test(walk_on_demand_none 0 "walked 0 of 6 function bodies"
            ${SC} --stats ${PROJECT_SOURCE_DIR}/tests/data/summaries/round_trip.c)
sc_cli_test(walk_on_demand_some 1 "walked 7 of 8 function bodies"
            ${SC} --stats ${CORPUS}/calls/helper_summaries.c -- -I${CORPUS}/include)
add_test(NAME cli.walk_on_demand_all
         COMMAND ${CMAKE_COMMAND} -E env SHAPECHECK_WALK_ALL=1
                 ${EXPECT} 0 "walked 6 of 6 function bodies" ${SC} --stats
                 ${PROJECT_SOURCE_DIR}/tests/data/summaries/round_trip.c)
set_tests_properties(cli.walk_on_demand_all PROPERTIES LABELS cli)
