// The Redis coordinator's one Lua script: every transition of a screening runs inside it, atomically.
// It mirrors the pure reducer (src/domain/seats/decide.ts) command for command: a private draft of
// the seats and holds it reads, every expired HOLD swept first, every move checked against the
// transition table (generated below from SEAT_TRANSITIONS, so the table stays the single source),
// and only when the whole command succeeds: the writes, the version bump and the PUBLISH, together.
// A refused command writes nothing. Time is Redis' own (`TIME`), so every process agrees on it.
//
// Keys (one hash slot per screening, `{scr:ID}`, so it runs on Redis Cluster too):
//   meta  hash   version, salesOpenAt, startTime, available, fence
//   seats hash   seatId → AVAILABLE | BLOCKED | DISABLED | HOLD:token | PAYMENT_PENDING:token
//                        | RESERVED:no | RESERVATION_CANCELLED:no:refundDueAt
//   holds hash   token → {"m":memberId,"s":[seatIds],"p":"HOLD"|"PAYMENT_PENDING","e":deadline}
//   due   zset   h:token (hold TTL or payment deadline), r:no (refund retry) → epoch ms
//   held  hash   memberId → seats in their HOLD/PAYMENT_PENDING holds (the 8-seat limit)
//   res   hash   reservationNo → its seat ids, comma-joined, while seats carry the number
//   lease string the commit lease: the fencing token of its holder, with a PX expiry
import { MAX_HELD_SEATS_PER_MEMBER, SEAT_TRANSITIONS } from '../../domain/seats/index.ts';

export const SCRIPT_KEYS = ['meta', 'seats', 'holds', 'due', 'held', 'res', 'lease'] as const;

/** The keys of one screening, in the order the script reads them. */
export const screeningKeys = (screeningId: string): string[] =>
  SCRIPT_KEYS.map((name) => `{scr:${screeningId}}:${name}`);

export const changesChannel = (screeningId: string) => `{scr:${screeningId}}:changes`;

const transitions = SEAT_TRANSITIONS.map((t) => `['${t.from}>${t.event}']='${t.to}'`).join(', ');

export const SEAT_SCRIPT = `
local META, SEATS, HOLDS, DUE, HELD, RES, LEASE = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5], KEYS[6], KEYS[7]
local CHANNEL, COMMAND = ARGV[1], ARGV[2]
local NEXT = { ${transitions} }
local MAX_HELD = ${MAX_HELD_SEATS_PER_MEMBER}

local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)

if COMMAND == 'init' then
  if redis.call('EXISTS', META) == 1 then return '{"ok":true,"loaded":false}' end
  local s = cjson.decode(ARGV[3])
  redis.call('HSET', META, 'version', s.version, 'salesOpenAt', s.salesOpenAt, 'startTime', s.startTime,
    'available', s.available, 'fence', math.max(s.fence, now))
  for id, entry in pairs(s.seats) do redis.call('HSET', SEATS, id, entry) end
  for token, hold in pairs(s.holds) do
    redis.call('HSET', HOLDS, token, cjson.encode(hold))
    redis.call('ZADD', DUE, hold.e, 'h:' .. token)
    redis.call('HINCRBY', HELD, hold.m, #hold.s)
  end
  for no, ids in pairs(s.res) do redis.call('HSET', RES, no, ids) end
  for no, at in pairs(s.refunds) do redis.call('ZADD', DUE, at, 'r:' .. no) end
  return '{"ok":true,"loaded":true}'
end

if redis.call('EXISTS', META) == 0 then return '{"ok":false,"cold":true}' end

-- The draft: what this command read, and what it will write if it succeeds.
local seatCache, seatDirty, holdCache, holdDirty = {}, {}, {}, {}
local changed, changedAt = {}, {}
local heldDelta, dueAdd, dueRem = {}, {}, {}
local availableDelta = 0

local function statusOf(entry)
  local colon = string.find(entry, ':', 1, true)
  if colon then return string.sub(entry, 1, colon - 1) end
  return entry
end

local function seat(id)
  local entry = seatCache[id]
  if entry == nil then
    entry = redis.call('HGET', SEATS, id)
    seatCache[id] = entry
  end
  return entry
end

local function hold(token)
  local found = holdCache[token]
  if found == nil then
    local raw = redis.call('HGET', HOLDS, token)
    found = raw and cjson.decode(raw) or false
    holdCache[token] = found
  end
  return found
end

local function putHold(token, value) holdCache[token] = value; holdDirty[token] = true end
local function addDue(member, at) dueAdd[member] = at; dueRem[member] = nil end
local function removeDue(member) dueRem[member] = true; dueAdd[member] = nil end
local function addHeld(member, n) heldDelta[member] = (heldDelta[member] or 0) + n end

local function dropHold(token, value)
  putHold(token, false)
  addHeld(value.m, -#value.s)
  removeDue('h:' .. token)
end

local function setSeat(id, entry)
  local before, after = statusOf(seat(id)), statusOf(entry)
  if before == 'AVAILABLE' then availableDelta = availableDelta - 1 end
  if after == 'AVAILABLE' then availableDelta = availableDelta + 1 end
  seatCache[id] = entry
  seatDirty[id] = true
  if changedAt[id] then changed[changedAt[id]].status = after
  else
    changed[#changed + 1] = { seatId = id, status = after }
    changedAt[id] = #changed
  end
end

-- Every seat moves by the table, or none does; the refused ones are reported together.
local function moveAll(ids, event, entry)
  local target = statusOf(entry)
  local refused = {}
  for _, id in ipairs(ids) do
    local current = seat(id)
    if not current then return { code = 'VALIDATION_FAILED', message = 'unknown seat ' .. id } end
    local status = statusOf(current)
    if NEXT[status .. '>' .. event] ~= target then refused[#refused + 1] = { seatId = id, status = status } end
  end
  if #refused > 0 then return { code = 'INVALID_TRANSITION', event = event, seats = refused } end
  for _, id in ipairs(ids) do setSeat(id, entry) end
  return nil
end

-- Frees every HOLD whose TTL ended by now; payments past their deadline wait for settlement.
local function sweep()
  for _, member in ipairs(redis.call('ZRANGEBYSCORE', DUE, '-inf', now)) do
    if string.sub(member, 1, 2) == 'h:' then
      local token = string.sub(member, 3)
      local expired = hold(token)
      if expired and expired.p == 'HOLD' then
        local refused = moveAll(expired.s, 'EXPIRE', 'AVAILABLE')
        if refused then return refused end
        dropHold(token, expired)
      end
    end
  end
  return nil
end

local function carries(entry, no)
  if not entry then return false end
  local status = statusOf(entry)
  if status == 'RESERVED' then return entry == 'RESERVED:' .. no end
  if status == 'RESERVATION_CANCELLED' then
    local prefix = 'RESERVATION_CANCELLED:' .. no .. ':'
    return string.sub(entry, 1, #prefix) == prefix
  end
  return false
end

local function unknownOf(ids)
  local unknown = {}
  for _, id in ipairs(ids) do if not seat(id) then unknown[#unknown + 1] = id end end
  if #unknown > 0 then return { code = 'VALIDATION_FAILED', message = 'unknown seats: ' .. table.concat(unknown, ', ') } end
  return nil
end

local function argsFrom(first)
  local list = {}
  for i = first, #ARGV do list[#list + 1] = ARGV[i] end
  return list
end

local function fail(err) return cjson.encode({ ok = false, error = err }) end

local function holdView(token)
  local value = holdCache[token]
  return { holdToken = token, seatIds = value.s, expiresAt = value.e }
end

-- Writes the draft; a batch with changes gets the next version and is published with it.
local function commit(extra)
  for id in pairs(seatDirty) do redis.call('HSET', SEATS, id, seatCache[id]) end
  for token in pairs(holdDirty) do
    if holdCache[token] then redis.call('HSET', HOLDS, token, cjson.encode(holdCache[token]))
    else redis.call('HDEL', HOLDS, token) end
  end
  for member, delta in pairs(heldDelta) do
    if delta ~= 0 and redis.call('HINCRBY', HELD, member, delta) <= 0 then redis.call('HDEL', HELD, member) end
  end
  for member in pairs(dueRem) do redis.call('ZREM', DUE, member) end
  for member, at in pairs(dueAdd) do redis.call('ZADD', DUE, at, member) end
  local version = tonumber(redis.call('HGET', META, 'version'))
  if #changed > 0 then
    version = redis.call('HINCRBY', META, 'version', 1)
    if availableDelta ~= 0 then redis.call('HINCRBY', META, 'available', availableDelta) end
    redis.call('PUBLISH', CHANNEL, cjson.encode({ type = 'seats', version = version, changes = changed }))
  end
  local result = extra or {}
  result.ok = true
  result.version = version
  result.changed = #changed
  result.available = tonumber(redis.call('HGET', META, 'available'))
  local first = redis.call('ZRANGE', DUE, 0, 0, 'WITHSCORES')
  if first[2] then result.deadline = tonumber(first[2]) end
  return cjson.encode(result)
end

local function sweepThen(apply)
  local err = sweep()
  if not err then err = apply() end
  if err then return fail(err) end
  return nil
end

if COMMAND == 'hold' then
  local member, token, ttl, ids = ARGV[3], ARGV[4], tonumber(ARGV[5]), argsFrom(6)
  if hold(token) then return fail({ code = 'VALIDATION_FAILED', message = 'holdToken already in use' }) end
  if now < tonumber(redis.call('HGET', META, 'salesOpenAt')) then return fail({ code = 'SALES_NOT_OPEN' }) end
  if now >= tonumber(redis.call('HGET', META, 'startTime')) then return fail({ code = 'SALES_CLOSED' }) end
  local refused = sweepThen(function()
    local unavailable = {}
    for _, id in ipairs(ids) do
      local entry = seat(id)
      if not entry or statusOf(entry) ~= 'AVAILABLE' then unavailable[#unavailable + 1] = id end
    end
    if #unavailable > 0 then return { code = 'SEAT_NOT_AVAILABLE', unavailableSeatIds = unavailable } end
    local held = tonumber(redis.call('HGET', HELD, member) or '0') + (heldDelta[member] or 0)
    if held + #ids > MAX_HELD then
      return { code = 'HOLD_LIMIT_EXCEEDED', limit = MAX_HELD, heldSeats = held, requestedSeats = #ids }
    end
    local moved = moveAll(ids, 'SELECT', 'HOLD:' .. token)
    if moved then return moved end
    putHold(token, { m = member, s = ids, p = 'HOLD', e = now + ttl })
    addHeld(member, #ids)
    addDue('h:' .. token, now + ttl)
    return nil
  end)
  if refused then return refused end
  return commit({ hold = holdView(token) })
end

if COMMAND == 'release' then
  local member, token = ARGV[3], ARGV[4]
  local held = hold(token)
  if not held or held.m ~= member then return fail({ code = 'HOLD_NOT_FOUND' }) end
  if held.p == 'PAYMENT_PENDING' then return fail({ code = 'PAYMENT_IN_PROGRESS' }) end
  local refused = sweepThen(function()
    if not hold(token) then return nil end -- expired and freed by the sweep: released already
    dropHold(token, held)
    return moveAll(held.s, 'RELEASE', 'AVAILABLE')
  end)
  return refused or commit()
end

if COMMAND == 'startPayment' then
  local member, token, deadline = ARGV[3], ARGV[4], tonumber(ARGV[5])
  local held = hold(token)
  if not held or held.m ~= member then return fail({ code = 'HOLD_NOT_FOUND' }) end
  if held.p == 'PAYMENT_PENDING' then return fail({ code = 'PAYMENT_IN_PROGRESS' }) end
  if held.e <= now then return fail({ code = 'HOLD_EXPIRED' }) end
  local refused = sweepThen(function()
    putHold(token, { m = held.m, s = held.s, p = 'PAYMENT_PENDING', e = now + deadline })
    addDue('h:' .. token, now + deadline)
    return moveAll(held.s, 'START_PAYMENT', 'PAYMENT_PENDING:' .. token)
  end)
  if refused then return refused end
  return commit({ hold = holdView(token) })
end

if COMMAND == 'confirmPayment' then
  local token, no = ARGV[3], ARGV[4]
  local held = hold(token)
  local used = redis.call('HEXISTS', RES, no) == 1
  if not held then
    if not used then return fail({ code = 'HOLD_NOT_FOUND' }) end
    return sweepThen(function() return nil end) or commit() -- confirmed already
  end
  if used then return fail({ code = 'VALIDATION_FAILED', message = 'reservationNo already used by other seats' }) end
  local refused = sweepThen(function()
    dropHold(token, held)
    local moved = moveAll(held.s, 'CONFIRM_PAYMENT', 'RESERVED:' .. no)
    if moved then return moved end
    if #held.s > 0 then redis.call('HSET', RES, no, table.concat(held.s, ',')) end
    return nil
  end)
  return refused or commit()
end

if COMMAND == 'failPayment' then
  local token = ARGV[3]
  local held = hold(token)
  local refused = sweepThen(function()
    if not held then return nil end
    dropHold(token, held)
    return moveAll(held.s, 'FAIL_PAYMENT', 'AVAILABLE')
  end)
  return refused or commit()
end

if COMMAND == 'cancelReservation' then
  local no, after, ids = ARGV[3], ARGV[4], argsFrom(5)
  local refused = sweepThen(function()
    local unknown = unknownOf(ids)
    if unknown then return unknown end
    local foreign, reserved = {}, {}
    for _, id in ipairs(ids) do
      local entry = seat(id)
      if not carries(entry, no) then foreign[#foreign + 1] = id
      elseif statusOf(entry) == 'RESERVED' then reserved[#reserved + 1] = id end
    end
    if #foreign > 0 then return { code = 'RESERVATION_MISMATCH', reservationNo = no, seatIds = foreign } end
    local dueAt = ''
    if after ~= '' then
      dueAt = now + tonumber(after)
      if #reserved > 0 then addDue('r:' .. no, dueAt) end
    end
    return moveAll(reserved, 'CANCEL_RESERVATION', 'RESERVATION_CANCELLED:' .. no .. ':' .. dueAt)
  end)
  return refused or commit()
end

if COMMAND == 'refundDone' then
  local no, ids = ARGV[3], argsFrom(4)
  local refused = sweepThen(function()
    local unknown = unknownOf(ids)
    if unknown then return unknown end
    local mine = {}
    for _, id in ipairs(ids) do if carries(seat(id), no) then mine[#mine + 1] = id end end
    local moved = moveAll(mine, 'REFUND_DONE', 'AVAILABLE')
    if moved then return moved end
    local listed = redis.call('HGET', RES, no)
    local remaining, cancelled = {}, false
    if listed then
      for id in string.gmatch(listed, '[^,]+') do
        local entry = seat(id)
        if carries(entry, no) then
          remaining[#remaining + 1] = id
          if statusOf(entry) == 'RESERVATION_CANCELLED' then cancelled = true end
        end
      end
    end
    if #remaining == 0 then redis.call('HDEL', RES, no) else redis.call('HSET', RES, no, table.concat(remaining, ',')) end
    if not cancelled then removeDue('r:' .. no) end
    return nil
  end)
  return refused or commit()
end

if COMMAND == 'block' or COMMAND == 'disable' then
  local ids = argsFrom(3)
  local target, event = 'BLOCKED', 'BLOCK'
  if COMMAND == 'disable' then target, event = 'DISABLED', 'DISABLE' end
  local refused = sweepThen(function()
    local unknown = unknownOf(ids)
    if unknown then return unknown end
    local unavailable, available = {}, {}
    for _, id in ipairs(ids) do
      local status = statusOf(seat(id))
      if status == 'AVAILABLE' then available[#available + 1] = id
      elseif status ~= target then unavailable[#unavailable + 1] = id end
    end
    if #unavailable > 0 then return { code = 'SEAT_NOT_AVAILABLE', unavailableSeatIds = unavailable } end
    return moveAll(available, event, target)
  end)
  return refused or commit()
end

if COMMAND == 'unblock' or COMMAND == 'enable' then
  local ids = argsFrom(3)
  local event = 'UNBLOCK'
  if COMMAND == 'enable' then event = 'ENABLE' end
  local refused = sweepThen(function()
    local unknown = unknownOf(ids)
    if unknown then return unknown end
    local off = {}
    for _, id in ipairs(ids) do if statusOf(seat(id)) ~= 'AVAILABLE' then off[#off + 1] = id end end
    return moveAll(off, event, 'AVAILABLE')
  end)
  return refused or commit()
end

-- The sweeper's call: expiries applied, and what is due for settlement listed.
if COMMAND == 'expire' then
  local refused = sweepThen(function() return nil end)
  if refused then return refused end
  local payments, refunds = {}, {}
  for _, member in ipairs(redis.call('ZRANGEBYSCORE', DUE, '-inf', now)) do
    local kind, id = string.sub(member, 1, 1), string.sub(member, 3)
    if kind == 'h' then
      local pending = hold(id)
      if pending and pending.p == 'PAYMENT_PENDING' then payments[#payments + 1] = id end
    elseif kind == 'r' then
      local listed = redis.call('HGET', RES, id)
      local cancelled = {}
      if listed then
        for seatId in string.gmatch(listed, '[^,]+') do
          if statusOf(seat(seatId) or '') == 'RESERVATION_CANCELLED' then cancelled[#cancelled + 1] = seatId end
        end
      end
      if #cancelled > 0 then refunds[#refunds + 1] = { reservationNo = id, seatIds = cancelled }
      else removeDue(member) end
    end
  end
  local reply = cjson.decode(commit({ duePayments = payments, dueRefunds = refunds }))
  local later = redis.call('ZRANGEBYSCORE', DUE, '(' .. now, '+inf', 'WITHSCORES', 'LIMIT', 0, 1)
  if later[2] then reply.nextFuture = tonumber(later[2]) end
  return cjson.encode(reply)
end

if COMMAND == 'snapshot' then
  local refused = sweepThen(function() return nil end)
  if refused then return refused end
  local result = cjson.decode(commit())
  result.seats = redis.call('HGETALL', SEATS)
  return cjson.encode(result)
end

if COMMAND == 'holds' then
  return cjson.encode({ ok = true, holds = redis.call('HGETALL', HOLDS) })
end

-- The commit lease: a fencing token that only grows, for the Postgres commit of a payment.
if COMMAND == 'acquireLease' then
  local leaseMs, token = tonumber(ARGV[3]), ARGV[4]
  if token ~= '' then
    local pending = hold(token)
    if not pending or pending.p ~= 'PAYMENT_PENDING' then return '{"ok":false,"error":{"code":"HOLD_NOT_FOUND"}}' end
  end
  if redis.call('EXISTS', LEASE) == 1 then
    return cjson.encode({ ok = false, busy = true, retryMs = redis.call('PTTL', LEASE) })
  end
  local fence = redis.call('HINCRBY', META, 'fence', 1)
  redis.call('SET', LEASE, fence, 'PX', leaseMs)
  return cjson.encode({ ok = true, fence = fence })
end

if COMMAND == 'releaseLease' then
  if redis.call('GET', LEASE) == ARGV[3] then redis.call('DEL', LEASE) end
  return '{"ok":true}'
end

return fail({ code = 'VALIDATION_FAILED', message = 'unknown command ' .. tostring(COMMAND) })
`;
