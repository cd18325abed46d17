SELECT "id" AS pk
  FROM "authors"
  WHERE "id" = $1
-- params: [1]

SELECT "id" AS pk
  FROM "authors"
  WHERE "id" = ANY($1)
-- params: [[1,2]]
