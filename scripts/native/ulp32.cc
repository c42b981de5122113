// Standalone accuracy harness for native/tfa_math32.h and the definitions' float32 helpers (cpp.helpers32): every
// float32 input (or a stride of them), each function against the float64 libm rounded to float32, in float32 ULPs of
// the truth (subnormal results in units of 2^-149). The helpers header is generated into a scratch directory:
//
//   d=$(mktemp -d) && node scripts/native/generate.mjs --helpers32 > $d/tfa_helpers32.h &&
//   g++ -O2 -ffp-contract=off -fno-math-errno -I native -I $d scripts/native/ulp32.cc -o $d/ulp32 && $d/ulp32 [stride]
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <initializer_list>

#include "tfa_helpers32.h"  // (includes tfa_math32.h)

// Ordinal of a float32 (adjacent floats differ by 1; +0 and −0 are both 0).
static int64_t ordinal(float f) {
  int32_t i;
  std::memcpy(&i, &f, 4);
  return i < 0 ? -static_cast<int64_t>(i & 0x7fffffff) : i;
}

// The distance in float32 ULPs between a result and the float64 truth rounded to float32 (test/float32.ts's
// rule; signs of zero must agree).
static double ulps(float got, double truth) {
  const float t = static_cast<float>(truth);
  if (std::isnan(t) || std::isnan(got)) return std::isnan(t) && std::isnan(got) ? 0 : INFINITY;
  if (std::isinf(t) || std::isinf(got)) return t == got ? 0 : INFINITY;
  if (got == 0 && t == 0 && std::signbit(got) != std::signbit(t)) return INFINITY;
  return static_cast<double>(std::llabs(ordinal(got) - ordinal(t)));
}

struct Worst {
  const char* name;
  double ulp = 0;
  float x = 0;
  long long over1 = 0, n = 0;
  void add(float x0, float got, double truth) {
    const double u = ulps(got, truth);
    n++;
    if (u >= 1) over1++;
    if (u > ulp) {
      ulp = u;
      x = x0;
    }
  }
  void print() const {
    std::printf("%-12s max %g ULP at x = %.9g; %lld of %lld inputs off the rounded truth\n", name, ulp, x, over1, n);
  }
};

// x − tanh(x) in long double: its Taylor series below |x| = 0.1 (eight terms, the next below 2^-64 relative), the
// difference above (at most 8 of the 64 bits cancel there)
static double tanh_shrink_truth(float x) {
  const long double X = x, z = X * X;
  if (std::fabs(x) >= 0.1f) return static_cast<double>(X - std::tanh(X));
  const long double c[] = {1.0L / 3, -2.0L / 15, 17.0L / 315, -62.0L / 2835, 1382.0L / 155925, -21844.0L / 6081075,
                           929569.0L / 638512875, -6404582.0L / 10854718875};
  long double s = 0;
  for (int i = 7; i >= 0; i--) s = s * z + c[i];
  return static_cast<double>(X * z * s);
}

int main(int argc, char** argv) {
  const uint32_t stride = argc > 1 ? std::strtoul(argv[1], nullptr, 10) : 1;
  using namespace tfa;
  Worst e{"exp32"}, ef{"exp32_fast"}, m{"expm1_neg32"}, t{"tanh32"}, l{"log1p_unit32"}, ts{"tanh_shrink32"};
  // sigmoid32 and the forward32 bodies of src/activations/{softplus,log_sigmoid,silu,elu,selu}.ts on the inputs they
  // take (the others are redone in float64)
  Worst sg{"sigmoid"}, sp{"softplus"}, ls{"log_sigmoid"}, sl{"silu"}, el{"elu"}, se{"selu"};
  // gelu's forward and f′ (gelu32, gelu_d32) where they run (x < −12 is redone in float64)
  Worst ge{"gelu"}, gd{"gelu'"}, sd{"silu'"};
  // softsign's forward32 (src/activations/softsign.ts) on every float32
  Worst ss{"softsign"};
  for (uint64_t b = 0; b < (uint64_t{1} << 32); b += stride) {
    const uint32_t bits = static_cast<uint32_t>(b);
    float x;
    std::memcpy(&x, &bits, 4);
    if (std::isnan(x)) continue;
    const double X = x;
    e.add(x, exp32(x), std::exp(X));
    if (x >= -87.3f && x <= 88.3f) ef.add(x, exp32_fast(x), std::exp(X));
    if (x <= 0 && x >= -87.0f) m.add(x, expm1_neg32(x), x == 0 ? 0.0 : std::expm1(X));
    t.add(x, tanh32(x), std::tanh(X));
    ts.add(x, tfa_gen_tanh_shrink::tanh_shrink32(x), tanh_shrink_truth(x));
    if (x >= 0 && x <= 1) l.add(x, log1p_unit32(x), std::log1p(X));
    if (std::fabs(x) <= 87.0f) {
      const float en = exp32_fast(-std::fabs(x));
      sg.add(x, sigmoid32(x), 1 / (1 + std::exp(-X)));
      sp.add(x, (x > 0 ? x : 0.0f) + log1p_unit32(en), X > 0 ? X + std::log1p(std::exp(-X)) : std::log1p(std::exp(X)));
      sl.add(x, (x * (x >= 0 ? 1.0f : en)) / (1.0f + en), X / (1 + std::exp(-X)));
      const double s = 1 / (1 + std::exp(-X));
      sd.add(x, tfa_gen_silu::silu_d32(x), s + X * s * (1 - s));
      ls.add(x, (x < 0 ? x : 0.0f) - log1p_unit32(en), X < 0 ? X - std::log1p(std::exp(X)) : -std::log1p(std::exp(-X)));
    }
    if (x >= -12.0f) {
      const double phi = 0.5 * std::erfc(-X * 0.70710678118654752440);
      ge.add(x, tfa_gen_gelu::gelu32(x), X * phi);
      gd.add(x, tfa_gen_gelu::gelu_d32(x), std::isinf(X) ? 1.0 : phi + X * 0.3989422804014327 * std::exp(-0.5 * X * X));
    }
    ss.add(x, std::fabs(x) == INFINITY ? (x > 0 ? 1.0f : -1.0f) : x / (1.0f + std::fabs(x)),
           std::isinf(X) ? (X > 0 ? 1.0 : -1.0) : X / (1 + std::fabs(X)));
    const float em = expm1_neg32(x < -87.0f ? -87.0f : x);
    el.add(x, x >= 0 ? x : em, x > 0 ? X : std::expm1(X));
    se.add(x, x >= 0 ? x * 0x1.0cfabcp+0f + x * 0x1.6a9114p-24f : 1.75809932f * em,
           x > 0 ? 1.0507009873554805 * X : (1.0507009873554805 * 1.6732632423543772) * std::expm1(X));
  }
  for (const Worst* w : {&e, &ef, &m, &t, &l, &ts, &sg, &sp, &ls, &sl, &el, &se, &ge, &gd, &sd, &ss}) w->print();
  return 0;
}
