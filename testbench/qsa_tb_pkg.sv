// Helpers shared by the self-checking testbenches (testbench/CMakeLists.txt's qsa_tb compiles
// this package ahead of every testbench's sources). Not synthesizable.
package qsa_tb_pkg;

  // One step of Marsaglia's xorshift32 (shifts 13, 17, 5): the testbenches' fixed-seed
  // pseudo-random stimulus. A nonzero state never reaches zero.
  function automatic logic [31:0] xorshift32(input logic [31:0] x);
    logic [31:0] y;
    y = x ^ (x << 13);
    y = y ^ (y >> 17);
    y = y ^ (y << 5);
    return y;
  endfunction

endpackage
