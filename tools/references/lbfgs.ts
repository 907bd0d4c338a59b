/**
 * Limited-memory BFGS minimisation with a backtracking (Armijo) line search. The objective returns
 * its value and writes its gradient into the array it is given.
 */
export type Objective = (x: Float64Array, gradient: Float64Array) => number;

export interface LbfgsOptions {
  maxIterations: number;
  /** History pairs kept for the inverse-Hessian estimate. */
  memory?: number;
  /** Stop when the objective improved by less than this fraction over the last `period` iterations. */
  delta?: number;
  period?: number;
  onIteration?: (iteration: number, value: number, gradientNorm: number) => void;
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

export function minimise(objective: Objective, x: Float64Array, options: LbfgsOptions): { value: number; iterations: number } {
  const m = options.memory ?? 10;
  const delta = options.delta ?? 1e-5;
  const period = options.period ?? 10;
  const n = x.length;
  const g = new Float64Array(n);
  let value = objective(x, g);
  const s: Float64Array[] = [];
  const y: Float64Array[] = [];
  const rho: number[] = [];
  const direction = new Float64Array(n);
  const alpha = new Float64Array(m);
  const xNew = new Float64Array(n);
  const gNew = new Float64Array(n);
  const history: number[] = [value];
  let iteration = 0;
  while (iteration < options.maxIterations) {
    iteration++;
    // Two-loop recursion: direction = -H·g.
    for (let i = 0; i < n; i++) direction[i] = -g[i]!;
    for (let k = s.length - 1; k >= 0; k--) {
      alpha[k] = rho[k]! * dot(s[k]!, direction);
      const yk = y[k]!;
      const a = alpha[k]!;
      for (let i = 0; i < n; i++) direction[i] -= a * yk[i]!;
    }
    if (s.length > 0) {
      const last = s.length - 1;
      const gamma = dot(s[last]!, y[last]!) / dot(y[last]!, y[last]!);
      for (let i = 0; i < n; i++) direction[i] *= gamma;
    }
    for (let k = 0; k < s.length; k++) {
      const beta = rho[k]! * dot(y[k]!, direction);
      const sk = s[k]!;
      const coefficient = alpha[k]! - beta;
      for (let i = 0; i < n; i++) direction[i] += coefficient * sk[i]!;
    }
    let slope = dot(direction, g);
    if (slope >= 0) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      s.length = y.length = rho.length = 0;
      for (let i = 0; i < n; i++) direction[i] = -g[i]!;
      slope = dot(direction, g);
    }
    let step = s.length === 0 ? 1 / Math.sqrt(dot(g, g)) : 1;
    let newValue = Infinity;
    for (let tries = 0; tries < 30; tries++) {
      for (let i = 0; i < n; i++) xNew[i] = x[i]! + step * direction[i]!;
      newValue = objective(xNew, gNew);
      if (newValue <= value + 1e-4 * step * slope) break;
      step *= 0.5;
    }
    if (!(newValue < value)) break;
    const sNew = s.length === m ? s.shift()! : new Float64Array(n);
    const yNew = y.length === m ? y.shift()! : new Float64Array(n);
    if (rho.length === m) rho.shift();
    for (let i = 0; i < n; i++) {
      sNew[i] = xNew[i]! - x[i]!;
      yNew[i] = gNew[i]! - g[i]!;
    }
    const sy = dot(sNew, yNew);
    x.set(xNew);
    g.set(gNew);
    value = newValue;
    if (sy > 1e-10) {
      s.push(sNew);
      y.push(yNew);
      rho.push(1 / sy);
    }
    history.push(value);
    options.onIteration?.(iteration, value, Math.sqrt(dot(g, g)));
    if (history.length > period) {
      const before = history[history.length - 1 - period]!;
      if ((before - value) / Math.max(Math.abs(value), 1) < delta) break;
    }
  }
  return { value, iterations: iteration };
}
