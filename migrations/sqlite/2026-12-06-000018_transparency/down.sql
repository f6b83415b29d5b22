DROP TABLE settlement_leaves;
DROP TABLE settlement_heads;
