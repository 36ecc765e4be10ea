// A project outside the tree that uses the installed qsa::cmodel and qsa::encoder.
#include <cstdio>

#include "qsa/cmodel/arith.h"
#include "qsa/cmodel/energy.h"
#include "qsa/encoder/quantize.h"

int main() {
  const std::vector<float> w = {0.5f, -0.25f, 0.125f, 0.0f};
  const qsa::encoder::VectorCode c = qsa::encoder::QuantizeOptimal(w, 4);
  const bool ok = qsa::cmodel::NafTopK(255, 1) == 256 && c.beta.size() == 4 &&
                  qsa::cmodel::EnergyPreset("paper").dram_pj_per_32bit == 6400.0;
  std::printf("consumer: %s\n", ok ? "ok" : "FAILED");
  return ok ? 0 : 1;
}
