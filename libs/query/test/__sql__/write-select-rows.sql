SELECT *
  FROM "articles"
  WHERE "id" = $1
-- params: [7]

SELECT *
  FROM "articles"
  WHERE "id" = ANY($1)
-- params: [[7,8]]
