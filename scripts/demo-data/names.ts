/** Word lists for company and people names: plausible, not real companies. */
export const PLACE_WORDS = [
  'Acme', 'Summit', 'Prairie', 'Lone Star', 'Great Lakes', 'Blue Ridge', 'Pacific', 'Atlantic', 'Heartland', 'Cascade', 'Sierra', 'Gulf Coast',
  'Red Rock', 'Magnolia', 'Keystone', 'Bluegrass', 'Golden State', 'Evergreen', 'Frontier', 'Liberty', 'Pioneer', 'Harbor', 'Riverbend',
  'Northstar', 'Sunbelt', 'Midland', 'Canyon', 'Cedar', 'Granite', 'Iron Range', 'Copper', 'Silver Lake', 'Oak Hill', 'Maple', 'Pine Valley',
];
export const CUSTOMER_TRADES = [
  'Foods', 'Steel', 'Paper', 'Plastics', 'Beverage', 'Building Supply', 'Furniture', 'Electronics', 'Produce', 'Chemicals', 'Packaging',
  'Home Goods', 'Auto Parts', 'Lumber', 'Appliances', 'Pet Supply', 'Tile', 'Dairy', 'Textiles', 'Hardware',
];
export const COMPANY_SUFFIXES = ['Inc.', 'LLC', 'Co.', 'Corp.', 'Group', 'Distributors'];
export const CARRIER_WORDS = [
  'Red River', 'Iron Horse', 'Eagle', 'Swift Creek', 'Thunder Road', 'Big Sky', 'Open Road', 'Crossroads', 'Wildcat', 'Mustang', 'Blue Line',
  'Longhorn', 'Roadrunner', 'Arrowhead', 'Timberline', 'Steel City', 'Bayou', 'Ozark', 'High Plains', 'Patriot', 'Trailblazer', 'Coyote',
  'Black Bear', 'Falcon', 'Mesa', 'Delta', 'Highland', 'Copperhead', 'Silverado', 'Rolling Hills',
];
export const CARRIER_TRADES = ['Trucking', 'Transport', 'Freight Lines', 'Logistics', 'Carriers', 'Express', 'Hauling', 'Transportation'];
export const FIRST_NAMES = ['Rita', 'Sam', 'Maria', 'James', 'Lena', 'Tom', 'Aisha', 'Carlos', 'Beth', 'Dwayne', 'Nora', 'Luis', 'Grace', 'Omar', 'Wendy', 'Hank', 'Priya', 'Ray', 'June', 'Vic'];
export const LAST_NAMES = ['Ruiz', 'Cole', 'Nguyen', 'Patel', 'Johnson', 'Garcia', 'Smith', 'Okafor', 'Miller', 'Brown', 'Davis', 'Lopez', 'Kim', 'Walker', 'Young', 'Hall', 'Reed', 'Perez', 'Shaw', 'Wood'];
export const STREETS = ['Commerce St', 'Industrial Blvd', 'Distribution Dr', 'Freight Ave', 'Warehouse Rd', 'Logistics Pkwy', 'Market St', 'Rail Yard Rd', 'Dock St', 'Trade Center Dr'];

export const COMMODITIES = {
  DRY_VAN: ['Canned goods', 'Paper products', 'Bottled water', 'Consumer electronics', 'Flat-pack furniture', 'Auto parts', 'Pet food', 'Household goods'],
  REEFER: ['Fresh produce', 'Frozen chicken', 'Dairy products', 'Ice cream', 'Frozen vegetables', 'Fresh berries'],
  FLATBED: ['Steel coils', 'Lumber', 'Rebar', 'Building materials', 'Pipe', 'Roofing shingles'],
  STEP_DECK: ['Construction equipment', 'Machinery', 'Transformers'],
  POWER_ONLY: ['Loaded trailer'],
  CONESTOGA: ['Machinery (tarped)', 'Aluminum extrusions'],
  LOWBOY: ['Excavator'],
  HOTSHOT: ['Oilfield parts'],
  BOX_TRUCK: ['Retail fixtures'],
  TANKER: ['Liquid sweetener'],
  CONTAINER: ['Import container'],
} as const;
