# Reference for temp_list_selector.cir: SPICE's diode law with the saturation current's
# temperature dependence, is(T) = is (T/Tnom)^(xti/n) exp((T/Tnom - 1) eg/(n vt(T))), in
# series with rs and R (1 + tc1 dT + tc2 dT^2), dT = T - 27 C; solved by brentq.
import math
from scipy.optimize import brentq
k, q = 1.380649e-23, 1.602176634e-19
IS, N, RS, EG, XTI = 1e-12, 1.5, 20.0, 1.11, 3.0
tnom = 27 + 273.15
for tc in (25, 50, 75):
    T = tc + 273.15
    vt = k * T / q
    isT = IS * (T / tnom) ** (XTI / N) * math.exp((T / tnom - 1) * EG / (N * vt))
    R = 10e3 * (1 + 2e-3 * (tc - 27) + 5e-6 * (tc - 27) ** 2)
    def i_at(v):  # current through the chain at applied v
        return brentq(lambda i: v - i * (RS + R) - N * vt * math.log1p(i / isT), 0, v / (RS + R) + 1e-30)
    i1 = i_at(1.0)
    v10 = 10e-6 * (RS + R) + N * vt * math.log1p(10e-6 / isT)
    print(f"T={tc} i1v={-i1:.7e} v10u={v10:.7e}")
