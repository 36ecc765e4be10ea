// Sequential unsigned divider: restoring division, BitsPerCycle quotient bits per cycle.
//
// Protocol
// - start_i (one-cycle pulse, ignored while busy_o) loads dividend_i and divisor_i.
// - busy_o is high for the Width / BitsPerCycle cycles that follow. In the next cycle (busy_o
//   low again) done_o pulses and quotient_o / remainder_o are valid; they hold until the next
//   accepted start_i. Latency from start_i to done_o: Width / BitsPerCycle + 1 cycles.
// - dividend = quotient · divisor + remainder, remainder < divisor. A zero divisor gives
//   quotient = all ones and remainder = dividend (the restoring algorithm's natural result);
//   callers that can meet it must check the divisor themselves.
//
// Structure: a Width+1-bit partial remainder and the dividend register, which shifts left
// BitsPerCycle bits per cycle while the quotient bits enter at its bottom. A cycle chains
// BitsPerCycle restoring steps (shift one dividend bit into the remainder, subtract the divisor
// when it fits), so it costs BitsPerCycle subtractors in series.
//
// Parameters: Width ≥ 2, BitsPerCycle ≥ 1 dividing Width (not checked: no elaboration-time
// assertion works in all three tools).
module qsa_divider #(
  parameter int Width = 32,
  parameter int BitsPerCycle = 1,
  localparam int Steps = Width / BitsPerCycle,
  localparam int CountWidth = $clog2(Steps + 1)
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  input  logic             start_i,      // pulse: load the operands and start
  input  logic [Width-1:0] dividend_i,
  input  logic [Width-1:0] divisor_i,
  output logic             busy_o,       // a division is in progress
  output logic             done_o,       // pulse: the result below is valid from now on
  output logic [Width-1:0] quotient_o,
  output logic [Width-1:0] remainder_o
);

  logic [Width-1:0]      quo_d, quo_q;      // dividend bits not yet used, then quotient bits
  logic [Width:0]        rem_d, rem_q;      // partial remainder
  logic [Width-1:0]      div_d, div_q;      // divisor
  logic [CountWidth-1:0] cnt_d, cnt_q;      // cycles still to run
  logic                  done_d, done_q;

  logic unused_rem;  // rem_q[Width] is 0 once a step is done (remainder < divisor)

  // A busy cycle runs BitsPerCycle restoring steps on block-local variables, in the branch that
  // uses them (a simulator skips them in idle cycles; synthesis sees the same mux tree). Shifts,
  // not constant part-selects, of the variables (Icarus 11 cannot take a constant select in an
  // always_comb and makes the block sensitive to the whole variable instead).
  always_comb begin : p_next
    logic [Width-1:0] q;
    logic [Width:0]   r, shifted;
    q       = quo_q;
    r       = rem_q;
    shifted = '0;
    quo_d   = quo_q;
    rem_d   = rem_q;
    div_d   = div_q;
    cnt_d   = cnt_q;
    done_d  = 1'b0;
    if (start_i && (cnt_q == '0)) begin
      quo_d = dividend_i;
      rem_d = '0;
      div_d = divisor_i;
      cnt_d = CountWidth'(Steps);
    end else if (cnt_q != '0) begin
      for (int b = 0; b < BitsPerCycle; b++) begin
        shifted = (r << 1) | (Width + 1)'(1'(q >> (Width - 1)));
        q       = q << 1;
        if (shifted >= {1'b0, div_q}) begin
          r = shifted - {1'b0, div_q};
          q = q | Width'(1);
        end else begin
          r = shifted;
        end
      end
      quo_d  = q;
      rem_d  = r;
      cnt_d  = cnt_q - CountWidth'(1);
      done_d = (cnt_q == CountWidth'(1));
    end
  end
  assign unused_rem = rem_q[Width];

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      quo_q  <= '0;
      rem_q  <= '0;
      div_q  <= '0;
      cnt_q  <= '0;
      done_q <= 1'b0;
    end else begin
      quo_q  <= quo_d;
      rem_q  <= rem_d;
      div_q  <= div_d;
      cnt_q  <= cnt_d;
      done_q <= done_d;
    end
  end

  assign busy_o      = (cnt_q != '0);
  assign done_o      = done_q;
  assign quotient_o  = quo_q;
  assign remainder_o = rem_q[Width-1:0];

endmodule
