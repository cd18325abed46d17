WITH "l0" AS (
  SELECT "t1"."id" AS "c0", "t1"."id" AS "s0"
  FROM "articles" AS "t1"
  WHERE ("t1"."id" = $1::numeric OR lower("t1"."title") LIKE lower($2::text) OR lower("t1"."body") LIKE lower($3::text) OR lower("t1"."status") LIKE lower($4::text) OR "t1"."views" = $5::numeric OR "t1"."rating" = $6::numeric OR "t1"."big" = $7::numeric OR "t1"."author" = $8::numeric)
  ORDER BY "s0" ASC NULLS LAST
  LIMIT $9) SELECT COALESCE(json_agg("y3"."v"
  ORDER BY "y3"."s0" ASC NULLS LAST), '[]'::json)::text AS "data"
  FROM (SELECT json_build_object(E'id', "x2"."c0") AS "v", "x2"."s0"
  FROM "l0" AS "x2") AS "y3"
-- params: ["100","%100%","%100%","%100%","100","100","100","100",100]
