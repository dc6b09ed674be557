-- see tests/cli/test_sandbox.sh
return { evaluate = function(ctx) error("bad \255\254") end }
