// Self-checking testbench of synth/rtl/qs_mult_serial.sv (the digit-serial design point of the
// synthesis reports) against the C++ reference model.
//
// Reads the same "<x> <alpha> <k> <product> <pp_count>" lines as qsa_qs_mult_tb (hex, written
// by tests/tb_vectors/gen_qs_mult_vectors.cc from NafTopK and NafKeptDigits). For each line it
// loads the unit, then clocks it while busy_o is high, adding add_o + cin_o into a 32-bit
// accumulator started at a line-dependent offset, as a PE would. Checks: the accumulator
// ends at offset + x * Q_k(alpha), the unit is busy for exactly pp_count cycles, and it gives
// up within 8 cycles (no hang). Stops with $fatal at the first mismatch, naming x, alpha, k,
// expected and got.
module qs_mult_serial_tb;

  localparam int XWidth = 17;
  localparam int AccW   = 32;

  logic                               clk;
  logic                               rst_n;
  logic                               load;
  logic signed [XWidth-1:0]           x17;
  logic [qsa_pkg::AlphaBits-1:0]      alpha;
  logic [qsa_pkg::KWidth-1:0]         k;
  logic                               busy;
  logic [XWidth+7:0]                  add;
  logic                               cin;

  qs_mult_serial #(.XWidth(XWidth)) u_dut (
    .clk_i  (clk),
    .rst_ni (rst_n),
    .load_i (load),
    .x_i    (x17),
    .alpha_i(alpha),
    .k_i    (k),
    .busy_o (busy),
    .add_o  (add),
    .cin_o  (cin)
  );

  string        path;
  int           fd;
  int           n_read;
  int           x;
  int           a;
  int           kk;
  int           prod;
  int           cnt;
  int           lines;
  int           cycles;
  logic [31:0]  acc;
  logic [31:0]  offset;

  task automatic tick;
    #1 clk = 1'b1;
    #1 clk = 1'b0;
  endtask

  initial begin
    if (!$value$plusargs("vectors=%s", path)) begin
      $fatal(1, "FAIL qs_mult_serial_tb: no vector file, run with +vectors=<file>");
    end
    fd = $fopen(path, "r");
    if (fd == 0) begin
      $fatal(1, "FAIL qs_mult_serial_tb: cannot open %s", path);
    end
    clk   = 1'b0;
    rst_n = 1'b0;
    load  = 1'b0;
    x17   = '0;
    alpha = '0;
    k     = '0;
    lines = 0;
    #1 rst_n = 1'b1;
    #1;
    if (busy !== 1'b0) begin
      $fatal(1, "FAIL qs_mult_serial_tb: busy out of reset");
    end

    // Icarus 11 has no `break`: the loop runs while the last read found a whole line.
    n_read = $fscanf(fd, "%h %h %h %h %h\n", x, a, kk, prod, cnt);
    while (n_read > 0) begin
      if (n_read != 5) begin
        $fatal(1, "FAIL qs_mult_serial_tb: malformed line %0d of %s", lines + 1, path);
      end
      lines++;
      x17    = x[XWidth-1:0];
      alpha  = a[7:0];
      k      = kk[2:0];
      offset = 32'(lines) * 32'h9e37_79b9;
      acc    = offset;
      load   = 1'b1;
      tick();
      load   = 1'b0;
      cycles = 0;
      while (busy === 1'b1 && cycles < 8) begin
        acc = acc + 32'(add) + 32'(cin) - 32'(1 << (XWidth + 7));
        cycles++;
        tick();
      end
      if (busy !== 1'b0) begin
        $fatal(1, "FAIL qs_mult_serial_tb: x=%0d alpha=%0d k=%0d: still busy after 8 cycles",
               x, a, kk);
      end
      if (acc - offset !== 32'(prod) || cycles != cnt) begin
        $fatal(1, "FAIL qs_mult_serial_tb: x=%0d alpha=%0d k=%0d: expected p=%0d in %0d cycles, got p=%0d in %0d cycles",
               x, a, kk, prod, cnt, $signed(acc - offset), cycles);
      end
      n_read = $fscanf(fd, "%h %h %h %h %h\n", x, a, kk, prod, cnt);
    end
    $fclose(fd);
    if (lines == 0) begin
      $fatal(1, "FAIL qs_mult_serial_tb: no vectors in %s", path);
    end
    $display("PASS qs_mult_serial_tb: %0d vectors from %s", lines, path);
    $finish;
  end

endmodule
