// The slice of @lhncbc/ucum-lhc (which ships no types) that unit conversion uses.
declare module "@lhncbc/ucum-lhc" {
  type ConversionOptions = { molecularWeight?: number; charge?: number };
  type Conversion = { status: "succeeded" | "failed" | "error"; toVal: number | null; msg: string[] };
  type Validation = { status: "valid" | "invalid" | "error"; ucumCode: string | null; msg: string[] };
  export const UcumLhcUtils: {
    getInstance(): {
      validateUnitString(unit: string, suggest?: boolean): Validation;
      convertUnitTo(from: string, value: number, to: string, options?: ConversionOptions): Conversion;
    };
  };
}
