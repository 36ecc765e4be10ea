# The HDL test list: one qsa_tb per self-checking testbench (each runs under Icarus and
# Verilator) and one qsa_lint per synthesizable top. Functions are in CMakeLists.txt here.

# Register map: the committed generated files must match rtl/regs/qsa_regs.json.
add_test(NAME lint.regs_generated_current
         COMMAND /usr/bin/python3 ${PROJECT_SOURCE_DIR}/scripts/gen_regs.py --check)
set_tests_properties(lint.regs_generated_current PROPERTIES LABELS lint)

qsa_tb(qsa_axil_csr_tb SOURCES ${RTL}/qsa_0_regs_pkg.sv ${RTL}/qsa_axil_csr.sv ${TB}/qsa_axil_csr_tb.sv)
qsa_lint(qsa_axil_csr SOURCES ${RTL}/qsa_0_regs_pkg.sv ${RTL}/qsa_axil_csr.sv)

qsa_tb(qsa_mem_tb SOURCES ${RTL}/qsa_mem.sv ${TB}/qsa_mem_tb.sv)
qsa_lint(qsa_mem SOURCES ${RTL}/qsa_mem.sv)

qsa_tb(qsa_dma_tb SOURCES ${RTL}/qsa_dma.sv ${TB}/qsa_axi_mem_model.sv ${TB}/qsa_dma_tb.sv)
qsa_lint(qsa_dma SOURCES ${RTL}/qsa_dma.sv)

qsa_tb(qsa_pkg_tb SOURCES ${RTL}/qsa_0_pkg.sv ${TB}/qsa_pkg_tb.sv)

qsa_tb(qsa_decoder_tb SOURCES ${RTL}/qsa_0_pkg.sv ${RTL}/qsa_decoder.sv ${TB}/qsa_decoder_tb.sv)
qsa_lint(qsa_decoder SOURCES ${RTL}/qsa_0_pkg.sv ${RTL}/qsa_decoder.sv)

qsa_tb(qsa_naf_recoder_tb SOURCES ${RTL}/qsa_0_pkg.sv ${RTL}/qsa_naf_recoder.sv ${TB}/qsa_naf_recoder_tb.sv)
qsa_lint(qsa_naf_recoder SOURCES ${RTL}/qsa_0_pkg.sv ${RTL}/qsa_naf_recoder.sv)

# The multiplier against the C++ reference model: exhaustive over 8-bit x, and a fixed sample
# of 17-bit x (the vector-sum width), every alpha and every k.
set(QS_SOURCES ${RTL}/qsa_0_pkg.sv ${RTL}/qsa_naf_mult.sv ${RTL}/qsa_qs_mult.sv
               ${TB}/qsa_qs_mult_tb.sv)
qsa_tb(qsa_qs_mult_tb RUN x8 SOURCES ${QS_SOURCES} PLUSARGS +vectors=${VEC}/qs_mult_x8.hex
       FIXTURES qs_mult_vectors)
qsa_tb(qsa_qs_mult_tb RUN x17 SOURCES ${QS_SOURCES} PLUSARGS +vectors=${VEC}/qs_mult_x17.hex
       FIXTURES qs_mult_vectors)
qsa_lint(qsa_naf_mult SOURCES ${RTL}/qsa_0_pkg.sv ${RTL}/qsa_naf_mult.sv)
qsa_lint(qsa_qs_mult SOURCES ${RTL}/qsa_0_pkg.sv ${RTL}/qsa_naf_mult.sv ${RTL}/qsa_qs_mult.sv)
# The digit-serial design point of the synthesis reports (synth/rtl, not in the accelerator),
# against the same reference-model vectors: product and cycle count (= kept digits).
set(QS_SERIAL_SOURCES ${RTL}/qsa_0_pkg.sv ${PROJECT_SOURCE_DIR}/synth/rtl/qs_mult_serial.sv)
qsa_tb(qs_mult_serial_tb RUN x17 SOURCES ${QS_SERIAL_SOURCES} ${TB}/qs_mult_serial_tb.sv
       PLUSARGS +vectors=${VEC}/qs_mult_x17.hex FIXTURES qs_mult_vectors)
qsa_lint(qs_mult_serial SOURCES ${QS_SERIAL_SOURCES})

qsa_tb(qsa_zero_skip_tb SOURCES ${RTL}/qsa_0_pkg.sv ${RTL}/qsa_zero_skip.sv ${TB}/qsa_zero_skip_tb.sv)
qsa_lint(qsa_zero_skip SOURCES ${RTL}/qsa_0_pkg.sv ${RTL}/qsa_zero_skip.sv)

# The descriptor checker and planner against the C++ reference model (two builds: default and
# small buffers), and its sequential divider.
set(DESC_SOURCES ${RTL}/qsa_0_regs_pkg.sv ${RTL}/qsa_divider.sv ${RTL}/qsa_desc_check.sv)
qsa_tb(qsa_desc_check_tb SOURCES ${DESC_SOURCES} ${TB}/qsa_desc_check_tb.sv
       PLUSARGS +vectors=${VEC}/desc.hex FIXTURES desc_vectors)
qsa_lint(qsa_desc_check SOURCES ${DESC_SOURCES})
qsa_tb(qsa_divider_tb SOURCES ${RTL}/qsa_divider.sv ${TB}/qsa_divider_tb.sv)
qsa_lint(qsa_divider SOURCES ${RTL}/qsa_divider.sv)

qsa_tb(qsa_code_unpack_tb SOURCES ${RTL}/qsa_0_pkg.sv ${RTL}/qsa_code_unpack.sv ${TB}/qsa_code_unpack_tb.sv)
qsa_lint(qsa_code_unpack SOURCES ${RTL}/qsa_0_pkg.sv ${RTL}/qsa_code_unpack.sv)

# The whole accelerator: Verilator -Wall and Yosys elaboration of qsa_top (and of its new
# blocks on their own), an Icarus parse, and a Yosys synthesis (label synth). qsa_top itself is
# simulated from C++ (tests/sim, label sim).
qsa_lint(qsa_lane SOURCES ${RTL}/qsa_0_pkg.sv ${RTL}/qsa_lane.sv)
qsa_lint(qsa_pe SOURCES ${RTL}/qsa_0_pkg.sv ${RTL}/qsa_mem.sv ${RTL}/qsa_zero_skip.sv
         ${RTL}/qsa_naf_recoder.sv ${RTL}/qsa_naf_mult.sv ${RTL}/qsa_lane.sv ${RTL}/qsa_pe.sv)
qsa_lint(qsa_act_buf SOURCES ${RTL}/qsa_mem.sv ${RTL}/qsa_act_buf.sv)
qsa_lint(qsa_out_buf SOURCES ${RTL}/qsa_mem.sv ${RTL}/qsa_out_buf.sv)
# qsa_top is linted over the whole of rtl/*.sv in glob (sorted) order, as a user or a review
# script would list it: the package files are named to sort first (rtl/lint/qsa.vlt).
qsa_lint(qsa_top SOURCES ${QSA_RTL_SOURCES})
add_test(NAME lint.icarus.qsa_top
         COMMAND ${IVERILOG} -g2012 -o ${CMAKE_CURRENT_BINARY_DIR}/qsa_top.vvp -s qsa_top
                 ${QSA_RTL_SOURCES})
set_tests_properties(lint.icarus.qsa_top PROPERTIES LABELS lint)
add_test(NAME synth.yosys.qsa_top COMMAND ${YOSYS} -q -s ${PROJECT_SOURCE_DIR}/synth/qsa_top.ys
         WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
set_tests_properties(synth.yosys.qsa_top PROPERTIES LABELS synth TIMEOUT 1800)
