// Hold attempts for concurrency tests: `count` attempts of 1–4 seats drawn from `seatIds`, by
// `people` in turn, from a fixed seed so a failure replays the same way.
export function overlappingAttempts<P>(
  seatIds: readonly string[],
  people: readonly P[],
  count: number,
  seed = 7,
) {
  let state = seed;
  const random = () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
  return Array.from({ length: count }, (_, index) => {
    const wanted = new Set<string>();
    const size = 1 + Math.floor(random() * 4);
    while (wanted.size < size) wanted.add(seatIds[Math.floor(random() * seatIds.length)] as string);
    return { who: people[index % people.length] as P, seatIds: [...wanted] };
  });
}
